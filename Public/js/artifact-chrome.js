// The artifact panel's frame: heading, version toolbar, notices and the bar for older versions.
// Built once; renderChrome updates it from the panel's state.
import { h } from './dom.js';
import { icon } from './icons.js';

const KIND_LABELS = { text: 'Text', code: 'Code', sheet: 'Sheet' };

/** actions: {close, previous, next, diff, copy, restore, latest} */
export function createChrome(actions) {
  const button = (action, label, iconName, text) =>
    h('button', { type: 'button', class: text ? 'button button-outline artifact-button' : 'icon-button', 'aria-label': text ? null : label, title: label, dataset: { action }, onclick: actions[ACTIONS[action]] }, icon(iconName), text ? h('span', { text }) : null);
  const c = {
    title: h('h2', { class: 'artifact-title', id: 'artifact-title' }),
    kind: h('span', { class: 'artifact-kind' }),
    status: h('p', { class: 'artifact-status', role: 'status', 'aria-live': 'polite' }),
    previous: button('previous-version', 'Previous version', 'chevron-down'),
    next: button('next-version', 'Next version', 'chevron-up'),
    version: h('span', { class: 'artifact-version', 'aria-live': 'polite' }),
    diff: button('view-changes', 'View changes from the previous version', 'refresh', 'Changes'),
    copy: button('copy', 'Copy', 'copy', 'Copy'),
    notice: h('div', { class: 'artifact-notice', role: 'alert', hidden: true }),
    restoreBar: h('div', { class: 'artifact-restore', hidden: true },
      h('p', { text: 'You are viewing a previous version.' }),
      button('restore', 'Restore this version', 'refresh', 'Restore this version'),
      button('latest', 'Back to the latest version', 'arrow-down', 'Latest version')),
    body: h('div', { class: 'artifact-body' }),
  };
  c.panel = h('aside', { class: 'artifact-panel', id: 'artifact-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'artifact-title', hidden: true, tabindex: '-1' },
    h('header', { class: 'artifact-header' }, button('close', 'Close document', 'x'), h('div', { class: 'artifact-heading' }, c.title, h('div', { class: 'artifact-meta' }, c.kind, c.status))),
    h('div', { class: 'artifact-toolbar', role: 'toolbar', 'aria-label': 'Document actions' }, c.previous, c.version, c.next, c.diff, c.copy),
    c.notice, c.restoreBar, c.body);
  return c;
}

const ACTIONS = { close: 'close', 'previous-version': 'previous', 'next-version': 'next', 'view-changes': 'diff', copy: 'copy', restore: 'restore', latest: 'latest' };

/** view: {doc, canDiff, diff, streaming, loadError, index, count, isLatest, readOnly, savedAt} */
export function renderChrome(c, view) {
  const { doc, streaming, index, count } = view;
  c.title.textContent = doc.title || 'Untitled document';
  c.kind.textContent = KIND_LABELS[doc.kind] ?? doc.kind;
  c.notice.replaceChildren(...(view.loadError ? [h('p', { text: `Could not load this document: ${view.loadError}` })] : []));
  c.notice.hidden = !view.loadError;
  c.version.textContent = streaming ? 'Writing…' : count ? `Version ${index + 1} of ${count}` : '';
  c.version.title = view.savedAt && !streaming ? `Saved ${new Date(view.savedAt).toLocaleString()}` : '';
  c.previous.disabled = streaming || index <= 0;
  c.next.disabled = streaming || view.isLatest || count === 0;
  c.diff.hidden = doc.kind === 'sheet';
  c.diff.disabled = !view.canDiff;
  c.diff.setAttribute('aria-pressed', String(view.diff));
  c.copy.lastChild.textContent = doc.kind === 'sheet' ? 'Copy as CSV' : 'Copy';
  c.restoreBar.hidden = streaming || view.isLatest || count === 0 || view.readOnly;
}
