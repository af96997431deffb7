// The attachments' uploading and list, loaded by attachments.js on the first file added.
import { IMAGE_TYPES } from './attachments.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { toast } from './notices.js';

/** Uploads one file (POST /api/files/upload, with progress) for the item `attachments` shows. */
export function upload(attachments, item, file) {
  if (!attachments.items.includes(item)) return; // removed before this module arrived
  const form = new FormData();
  form.append('file', file, item.name);
  const request = new XMLHttpRequest();
  item.request = request;
  request.open('POST', `/api/files/upload?chatId=${encodeURIComponent(attachments.chatId())}`);
  request.responseType = 'json';
  request.upload.addEventListener('progress', (event) => {
    if (!event.lengthComputable) return;
    item.progress = event.loaded / event.total;
    item.bar?.setAttribute('value', String(item.progress));
  });
  request.addEventListener('load', () => {
    if (!attachments.items.includes(item)) return;
    if (request.status === 201 && request.response?.url) {
      Object.assign(item, { state: 'done', file: request.response });
    } else {
      const message = request.response?.message ?? `The upload failed (${request.status}).`;
      toast(message, 'error');
      attachments.items = attachments.items.filter((other) => other !== item);
    }
    attachments.render();
  });
  request.addEventListener('error', () => {
    if (!attachments.items.includes(item)) return;
    toast(`${item.name} could not be uploaded. Check your connection and try again.`, 'error');
    attachments.items = attachments.items.filter((other) => other !== item);
    attachments.render();
  });
  request.send(form);
}

/** Shows the items with a preview (or the file's extension), progress while uploading, and a remove button. */
export function renderList(attachments) {
  const { list, items } = attachments;
  list.hidden = items.length === 0;
  list.replaceChildren(
    ...items.map((item) => {
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
        h('button', { type: 'button', class: 'attachment-remove', 'aria-label': `Remove ${item.name}`, title: 'Remove', onclick: () => attachments.remove(item) }, icon('x')),
      );
    }),
  );
}

function extension(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1, dot + 5).toUpperCase() : 'FILE';
}
