// Private/public switch for the chat's owner. For a chat not yet created it only picks the
// visibility it will be created with.
import { api } from './api.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { attachMenu } from './menu.js';
import { toast } from './notices.js';

const LABELS = { private: 'Private', public: 'Public' };

export class VisibilitySelect {
  constructor(root, { chatId, onChange }) {
    this.chatId = chatId;
    this.onChange = onChange;
    this.value = 'private';
    this.exists = false;
    this.button = h('button', { type: 'button', class: 'button button-outline visibility-button' });
    root.append(this.button);
    attachMenu(this.button, () => [
      { label: 'Private', icon: 'lock', checked: this.value === 'private', id: 'private', onSelect: () => this.change('private') },
      { label: 'Public', icon: 'globe', checked: this.value === 'public', id: 'public', onSelect: () => this.change('public') },
    ], { align: 'end', label: 'Visibility' });
    this.render();
  }

  render() {
    this.button.replaceChildren(icon(this.value === 'public' ? 'globe' : 'lock'), h('span', { text: LABELS[this.value] }), icon('chevron-down'));
    this.button.setAttribute('aria-label', `Visibility: ${LABELS[this.value]}. Change visibility`);
    this.button.title = this.value === 'public' ? 'Anyone with the link can read this chat' : 'Only you can see this chat';
  }

  /** Sets the value shown without telling the server (it already knows). */
  set(value, { exists = this.exists } = {}) {
    this.value = value === 'public' ? 'public' : 'private';
    this.exists = exists;
    this.render();
  }

  async change(value) {
    if (value === this.value) return;
    if (!this.exists) {
      this.set(value);
      return;
    }
    try {
      await api(`/api/chat/${encodeURIComponent(this.chatId)}/visibility`, { method: 'PATCH', body: { visibility: value } });
    } catch (error) {
      toast(error.message, 'error');
      return;
    }
    this.set(value);
    this.onChange?.(value);
    toast(value === 'public' ? 'Chat is now public: anyone with the link can read it.' : 'Chat is now private.');
  }
}
