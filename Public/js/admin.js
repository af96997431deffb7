// The admin page: users with this month's usage, disable / re-enable, allowance overrides, the audit log.
// Everything comes from /api/admin/*; text goes into the page through text nodes only (h()).
import { api } from './api.js';
import { h } from './dom.js';
import { toast } from './notices.js';
import { watchTheme } from './theme.js';

const root = document.getElementById('admin');
const ownId = root.dataset.adminId;
const usersBody = document.getElementById('users-body');
const usersNote = document.getElementById('users-note');
const auditBody = document.getElementById('audit-body');
const auditNote = document.getElementById('audit-note');

const numbers = new Intl.NumberFormat();
const ACTIONS = {
  disable_user: 'Disabled',
  enable_user: 'Re-enabled',
  set_allowance: 'Set allowance',
  clear_allowance: 'Cleared allowance',
};

const when = (iso) => (iso ? new Date(iso).toLocaleString() : 'never');
const name = (user) => user.email ?? `Guest ${user.id.slice(0, 8)}`;

function usageLines(usage) {
  if (usage.length === 0) return '—';
  return usage.map((entry) =>
    h('div', { class: 'admin-usage', text: `${entry.model}: ${numbers.format(entry.inputTokens)} in, ${numbers.format(entry.outputTokens)} out (${numbers.format(entry.answers)} answers)` }),
  );
}

/** Runs one change, says how it went, and shows the lists as they are now. */
async function change(path, init, done) {
  try {
    await api(path, init);
    toast(done);
  } catch (error) {
    toast(error.message, 'error');
  }
  await load();
}

function allowanceForm(user) {
  const input = h('input', {
    type: 'number', min: 1, max: 100000, step: 1, inputmode: 'numeric', class: 'admin-allowance-input',
    placeholder: `default ${user.defaultMessagesPerDay}`, 'aria-label': `Messages per 24 hours for ${name(user)}`,
  });
  if (user.messagesPerDayOverride !== null) input.value = String(user.messagesPerDayOverride);
  const path = `/api/admin/users/${user.id}/allowance`;
  const clear = h('button', {
    type: 'button', class: 'button button-outline', 'data-action': 'clear-allowance', disabled: user.messagesPerDayOverride === null,
    text: 'Default',
    onclick: () => change(path, { method: 'PUT', body: { messagesPerDay: null } }, `${name(user)} is back to the default allowance.`),
  });
  return h(
    'form',
    {
      class: 'admin-allowance',
      onsubmit: (event) => {
        event.preventDefault();
        const value = input.value.trim() === '' ? null : Number(input.value);
        change(path, { method: 'PUT', body: { messagesPerDay: value } }, `Allowance of ${name(user)} saved.`);
      },
    },
    input,
    h('button', { type: 'submit', class: 'button button-outline', 'data-action': 'save-allowance', text: 'Save' }),
    clear,
  );
}

function statusCell(user) {
  const disabled = user.disabledAt !== null;
  const label = h('span', { class: disabled ? 'admin-status admin-status-disabled' : 'admin-status', text: disabled ? 'Disabled' : 'Active' });
  // The server refuses it too: an administrator who disabled themselves would be locked out.
  if (user.id === ownId) return [label, h('span', { class: 'admin-self', text: ' (you)' })];
  const verb = disabled ? 'enable' : 'disable';
  const button = h('button', {
    type: 'button', class: disabled ? 'button button-outline' : 'button button-danger', 'data-action': verb,
    text: disabled ? 'Enable' : 'Disable',
    onclick: () => change(`/api/admin/users/${user.id}/${verb}`, { method: 'POST' }, `${name(user)} ${disabled ? 're-enabled' : 'disabled'}.`),
  });
  return [label, ' ', button];
}

function userRow(user) {
  const who = h('td', {}, h('div', { class: 'admin-user', text: name(user) }), h('div', { class: 'admin-muted', text: user.kind === 'guest' ? 'guest' : 'account' }));
  return h(
    'tr',
    { dataset: { userId: user.id, email: user.email ?? '', state: user.disabledAt === null ? 'active' : 'disabled' } },
    who,
    h('td', { text: user.signInMethod }),
    h('td', { text: when(user.createdAt) }),
    h('td', { text: when(user.lastActiveAt) }),
    h('td', { class: 'admin-number', text: numbers.format(user.messagesThisMonth) }),
    h('td', {}, usageLines(user.usageThisMonth)),
    h('td', {}, allowanceForm(user)),
    h('td', { class: 'admin-status-cell' }, statusCell(user)),
  );
}

function auditRow(entry) {
  return h(
    'tr',
    { dataset: { action: entry.action, target: entry.targetUserId ?? '' } },
    h('td', { text: when(entry.createdAt) }),
    h('td', { text: entry.adminEmail }),
    h('td', { text: ACTIONS[entry.action] ?? entry.action }),
    h('td', { text: entry.detail }),
  );
}

async function load() {
  const [users, audit] = await Promise.allSettled([api('/api/admin/users'), api('/api/admin/audit')]);
  if (users.status === 'fulfilled') {
    usersBody.replaceChildren(...users.value.users.map(userRow));
    const since = new Date(users.value.monthStart).toLocaleDateString(undefined, { timeZone: 'UTC', dateStyle: 'medium' });
    usersNote.textContent = `${users.value.users.length} users, newest first. Usage since ${since} (UTC).`;
  } else {
    usersNote.textContent = users.reason.message;
  }
  if (audit.status === 'fulfilled') {
    auditBody.replaceChildren(...audit.value.entries.map(auditRow));
    auditNote.textContent = audit.value.entries.length === 0 ? 'No administrator has changed anything yet.' : 'Newest first.';
  } else {
    auditNote.textContent = audit.reason.message;
  }
  root.dataset.ready = 'true';
}

watchTheme();
load();
