// The message box: Enter sends, Shift+Enter adds a line, IME composition never sends,
// grows with its text, and keeps an unsent draft across reloads.
import { load, save } from './storage.js';
import { toast } from './notices.js';

const MAX_HEIGHT = 0.4; // of the viewport

export class Composer {
  constructor({ form, input, sendButton, stopButton, draftKey, onSend, onStop }) {
    Object.assign(this, { form, input, sendButton, stopButton, draftKey, onSend, onStop });
    this.busy = false;
    input.value = load(draftKey, '');
    input.addEventListener('input', () => {
      this.autosize();
      this.refreshButtons();
      save(this.draftKey, input.value);
    });
    input.addEventListener('keydown', (event) => {
      // keyCode 229 covers browsers that end composition before firing keydown (Safari).
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        this.submit();
      }
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    stopButton.addEventListener('click', () => this.onStop());
    window.addEventListener('resize', () => this.autosize());
    this.autosize();
    this.refreshButtons();
  }

  submit() {
    const text = this.input.value;
    if (!text.trim()) return;
    if (this.busy) {
      toast('Please wait for the current answer to finish, or stop it.', 'error');
      return;
    }
    if (this.attachments?.pending) {
      toast('Please wait until the attachments have uploaded.', 'error');
      return;
    }
    const files = this.attachments?.parts() ?? [];
    this.setText('');
    this.attachments?.clear();
    this.onSend(text, files);
  }

  /** The attachments of the message being written (attachments.js); send waits for their uploads. */
  setAttachments(attachments) {
    this.attachments = attachments;
    this.refreshButtons();
  }

  /** Puts a message that was not sent back: its text and its attachments. */
  restore(text, files = []) {
    this.setText(text);
    this.attachments?.restore(files);
  }

  setText(text) {
    this.input.value = text;
    save(this.draftKey, text);
    this.autosize();
    this.refreshButtons();
  }

  /** After the first message of a new chat, its draft lives under the chat's own key. */
  setDraftKey(key) {
    save(this.draftKey, null);
    this.draftKey = key;
  }

  setBusy(busy) {
    this.busy = busy;
    this.stopButton.hidden = !busy;
    this.sendButton.hidden = busy;
    this.refreshButtons();
  }

  refreshButtons() {
    this.sendButton.disabled = this.busy || !this.input.value.trim() || Boolean(this.attachments?.pending);
  }

  autosize() {
    this.input.style.height = 'auto';
    const max = Math.round(window.innerHeight * MAX_HEIGHT);
    this.input.style.height = `${Math.min(this.input.scrollHeight, max)}px`;
    this.input.style.overflowY = this.input.scrollHeight > max ? 'auto' : 'hidden';
  }

  focus() {
    this.input.focus();
  }
}
