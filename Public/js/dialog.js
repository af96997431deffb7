// Confirmation dialogs on the native <dialog> element: modal, focus-trapped and Escape-aware for free.
import { h } from './dom.js';

export function confirmDialog({ title, message, confirmLabel = 'Continue', danger = false }) {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'button button-outline', text: 'Cancel', value: 'cancel' });
    const confirm = h('button', {
      type: 'button',
      class: `button ${danger ? 'button-danger' : 'button-primary'}`,
      text: confirmLabel,
      dataset: { action: 'confirm' },
    });
    const titleId = `dialog-title-${Date.now()}`;
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { class: 'dialog-title', id: titleId, text: title }),
      h('p', { class: 'dialog-message', text: message }),
      h('div', { class: 'dialog-actions' }, cancel, confirm),
    );
    let answer = false;
    cancel.addEventListener('click', () => dialog.close());
    confirm.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
