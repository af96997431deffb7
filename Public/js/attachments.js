// Files attached to the message being written: the paperclip, drag and drop and paste add them; each uploads at
// once (POST /api/files/upload, with progress) and shows a preview with a remove button. The server decides the type
// from the bytes; the browser only shows its answer. The uploading and the list (attachment-list.js) load on the
// first file, so the chat page's first load carries only this wiring.

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export class Attachments {
  constructor({ list, button, input, dropTarget, pasteTarget, chatId, onChange }) {
    Object.assign(this, { list, button, input, chatId, onChange });
    this.items = [];
    this.canImages = false;
    this.canDocuments = false;
    button.addEventListener('click', () => input.click());
    input.addEventListener('change', () => {
      this.add([...input.files]);
      input.value = '';
    });
    dropTarget.addEventListener('dragover', (event) => {
      if (!this.enabled || !event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      dropTarget.classList.add('drop-active');
    });
    dropTarget.addEventListener('dragleave', () => dropTarget.classList.remove('drop-active'));
    dropTarget.addEventListener('drop', (event) => {
      dropTarget.classList.remove('drop-active');
      if (!this.enabled || !event.dataTransfer?.files.length) return;
      event.preventDefault();
      this.add([...event.dataTransfer.files]);
    });
    pasteTarget.addEventListener('paste', (event) => {
      const files = [...(event.clipboardData?.files ?? [])];
      if (!this.enabled || files.length === 0) return;
      event.preventDefault();
      this.add(files);
    });
  }

  get enabled() {
    return this.canImages || this.canDocuments;
  }

  /** What the chosen model can read; the paperclip is hidden when it reads neither. */
  setCapabilities({ vision, documents }) {
    this.canImages = Boolean(vision);
    this.canDocuments = Boolean(documents);
    this.button.hidden = !this.enabled;
    this.input.accept = [
      ...(this.canImages ? IMAGE_TYPES : []),
      ...(this.canDocuments ? ['application/pdf', '.docx', '.xlsx', '.csv', '.txt', '.md', 'text/plain', 'text/csv', 'text/markdown'] : []),
    ].join(',');
  }

  get pending() {
    return this.items.some((item) => item.state === 'uploading');
  }

  get hasAny() {
    return this.items.length > 0;
  }

  /** AI SDK v6 file parts of the uploaded files, in the order they were added. */
  parts() {
    return this.items.filter((item) => item.state === 'done').map((item) => ({ type: 'file', mediaType: item.file.mediaType, url: item.file.url, filename: item.file.name }));
  }

  clear() {
    this.items = [];
    this.render();
  }

  /** Puts back the file parts of a message that was not sent (they are still the user's uploads for this chat). */
  restore(parts) {
    const back = parts.filter((part) => part.type === 'file' && !this.items.some((item) => item.file?.url === part.url));
    if (back.length === 0) return;
    this.items = [...back.map((part) => ({ name: part.filename ?? 'file', state: 'done', progress: 1, file: { url: part.url, mediaType: part.mediaType, name: part.filename ?? 'file' } })), ...this.items];
    this.render();
  }

  /** The upload and list code, loaded on the first file. */
  listCode() {
    this.listModule ??= import('./attachment-list.js');
    return this.listModule;
  }

  add(files) {
    for (const file of files) {
      const item = { name: file.name || 'pasted file', state: 'uploading', progress: 0 };
      this.items.push(item);
      this.listCode().then(({ upload }) => upload(this, item, file));
    }
    this.render();
  }

  remove(item) {
    item.request?.abort();
    this.items = this.items.filter((other) => other !== item);
    this.render();
    this.button.focus();
  }

  /** Shows the items; the send button follows `pending` at once, the list once its module is there. */
  render() {
    this.onChange?.();
    if (this.items.length === 0 && !this.listModule) return;
    this.listCode().then(({ renderList }) => renderList(this));
  }
}
