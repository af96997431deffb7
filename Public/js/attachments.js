// Files attached to the message being written: the paperclip, drag and drop and paste add them; each uploads at
// once (POST /api/files/upload, with progress) and shows a preview with a remove button. The server decides the type
// from the bytes; the browser only shows its answer.
import { h } from './dom.js';
import { icon } from './icons.js';
import { toast } from './notices.js';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

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

  add(files) {
    for (const file of files) {
      const item = { name: file.name || 'pasted file', state: 'uploading', progress: 0 };
      this.items.push(item);
      this.upload(item, file);
    }
    this.render();
  }

  remove(item) {
    item.request?.abort();
    this.items = this.items.filter((other) => other !== item);
    this.render();
    this.button.focus();
  }

  upload(item, file) {
    const form = new FormData();
    form.append('file', file, item.name);
    const request = new XMLHttpRequest();
    item.request = request;
    request.open('POST', `/api/files/upload?chatId=${encodeURIComponent(this.chatId())}`);
    request.responseType = 'json';
    request.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable) return;
      item.progress = event.loaded / event.total;
      item.bar?.setAttribute('value', String(item.progress));
    });
    request.addEventListener('load', () => {
      if (!this.items.includes(item)) return;
      if (request.status === 201 && request.response?.url) {
        Object.assign(item, { state: 'done', file: request.response });
      } else {
        const message = request.response?.message ?? `The upload failed (${request.status}).`;
        toast(message, 'error');
        this.items = this.items.filter((other) => other !== item);
      }
      this.render();
    });
    request.addEventListener('error', () => {
      if (!this.items.includes(item)) return;
      toast(`${item.name} could not be uploaded. Check your connection and try again.`, 'error');
      this.items = this.items.filter((other) => other !== item);
      this.render();
    });
    request.send(form);
  }

  render() {
    this.list.hidden = this.items.length === 0;
    this.list.replaceChildren(
      ...this.items.map((item) => {
        item.bar = item.state === 'uploading' ? h('progress', { class: 'attachment-progress', max: '1', value: String(item.progress), 'aria-label': `Uploading ${item.name}` }) : null;
        return h(
          'li',
          { class: `attachment attachment-${item.state}`, dataset: { name: item.name } },
          // The preview is the server's copy (the page's CSP allows no blob: images), so it shows what will be sent.
          item.state === 'done' && IMAGE_TYPES.includes(item.file.mediaType)
            ? h('img', { class: 'attachment-preview', src: item.file.url, alt: '' })
            : h('span', { class: 'attachment-doc', text: item.state === 'done' ? extension(item.file.name) : '…' }),
          h('span', { class: 'attachment-name', text: item.name, title: item.name }),
          item.bar,
          h('button', { type: 'button', class: 'attachment-remove', 'aria-label': `Remove ${item.name}`, title: 'Remove', onclick: () => this.remove(item) }, icon('x')),
        );
      }),
    );
    this.onChange?.();
  }
}

function extension(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1, dot + 5).toUpperCase() : 'FILE';
}
