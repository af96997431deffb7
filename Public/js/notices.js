// Toasts for small confirmations, and inline notices for errors that need the user's attention.
import { h } from './dom.js';
import { icon } from './icons.js';

export function toast(text, kind = 'info') {
  const root = document.getElementById('toasts');
  if (!root) return;
  const item = h('div', { class: `toast toast-${kind}` }, kind === 'error' ? icon('alert') : icon('check'), h('span', { text }));
  root.append(item);
  setTimeout(() => item.classList.add('toast-leaving'), 3200);
  setTimeout(() => item.remove(), 3600);
}

/** Advice that turns an error type into the fix, added under the server's own message. */
function adviceFor(error, { isGuest }) {
  if (error.serverCause === 'model installing') return { text: 'Your message is kept in the box below.' };
  switch (error.type) {
    case 'rate_limit':
      return isGuest
        ? { text: 'Create a free account to send more messages per day.', href: '/register', link: 'Create an account' }
        : null;
    case 'offline':
      return { text: 'Check your connection; your message is kept in the box below.' };
    case 'unauthorized':
      return { text: 'Your session ended.', href: window.location.pathname, link: 'Reload the page' };
    default:
      return null;
  }
}

const TITLES = {
  rate_limit: 'Message limit reached',
  offline: 'Connection problem',
  bad_request: 'Message not sent',
  unauthorized: 'Signed out',
  forbidden: 'Not allowed',
  not_found: 'Not found',
};

/** Shows one error notice in `container` (replacing any previous one). */
export function showErrorNotice(container, error, options = {}) {
  container.replaceChildren();
  const advice = adviceFor(error, options);
  const notice = h(
    'div',
    { class: `notice notice-error notice-${error.type || 'error'}`, role: 'alert', dataset: { code: error.code || '' } },
    icon('alert', 'notice-icon'),
    h(
      'div',
      { class: 'notice-body' },
      h('p', { class: 'notice-title', text: options.title ?? (error.serverCause === 'model installing' ? 'The model is still being prepared' : TITLES[error.type]) ?? 'Something went wrong' }),
      h('p', { class: 'notice-message', text: error.message }),
      advice ? h('p', { class: 'notice-advice' }, advice.text, ' ', advice.href ? h('a', { href: advice.href, text: advice.link }) : null) : null,
    ),
    h('button', { type: 'button', class: 'icon-button notice-close', 'aria-label': 'Dismiss', onclick: () => notice.remove() }, icon('x')),
  );
  container.append(notice);
  return notice;
}

export function clearNotices(container) {
  container.replaceChildren();
}
