// One message on screen. Parts are rendered incrementally so streaming only re-renders the part
// that changed, and a reasoning block the user closed stays closed.
import { h } from './dom.js';
import { icon } from './icons.js';
import { renderMarkdown } from './markdown.js';
import { textOf } from './chat-state.js';
import { renderToolPart, toolKey } from './tool-view.js';

export class MessageView {
  /** handlers: {onCopy(message), onEdit(message, text), onVote(message, type), onRegenerate(message), onOpenDocument(doc, opener)} */
  constructor(message, handlers) {
    this.message = message;
    this.handlers = handlers;
    this.partViews = [];
    this.actionsKey = null;
    this.editing = false;
    const isUser = message.role === 'user';
    this.partsEl = h('div', { class: 'message-parts' });
    this.statusEl = h('div', { class: 'message-status-area' });
    this.actionsEl = h('div', { class: 'message-actions', role: 'toolbar', 'aria-label': isUser ? 'Your message actions' : 'Answer actions' });
    this.contentEl = h('div', { class: 'message-content' }, h('h3', { class: 'visually-hidden', text: isUser ? 'You said:' : 'Chatbot said:' }), this.partsEl, this.statusEl, this.actionsEl);
    this.el = h(
      'article',
      { class: `message message-${message.role}`, dataset: { role: message.role, messageId: message.id } },
      isUser ? null : h('div', { class: 'avatar avatar-assistant', 'aria-hidden': 'true' }, icon('sparkles')),
      this.contentEl,
    );
  }

  /** ctx: {readOnly, busy, isLast, vote: 'up'|'down'|undefined} */
  update(ctx) {
    this.ctx = ctx;
    const status = this.message.metadata?.status ?? 'complete';
    this.el.dataset.status = status;
    this.el.setAttribute('aria-busy', String(status === 'streaming'));
    if (!this.editing) this.renderParts();
    this.renderStatus(status);
    this.renderActions(status);
  }

  /** Forces every part to render again (after the Markdown libraries arrive). */
  refresh() {
    this.partViews = [];
    this.partsEl.replaceChildren();
    if (this.ctx) this.update(this.ctx);
  }

  renderParts() {
    if (this.message.role === 'user') {
      const text = textOf(this.message);
      const files = this.message.parts.filter((part) => part.type === 'file' && typeof part.url === 'string' && part.url.startsWith('/api/files/'));
      const key = text + files.map((file) => file.url).join();
      if (this.partViews[0]?.text !== key) {
        this.partsEl.replaceChildren(...(files.length ? [attachmentList(files)] : []), h('div', { class: 'user-bubble', text }));
        this.partViews = [{ text: key }];
      }
      return;
    }
    const visible = this.message.parts.filter((part) => part.type !== 'step-start' && !(part.type === 'text' && part.text === '' && part.state !== 'streaming'));
    visible.forEach((part, index) => {
      let view = this.partViews[index];
      if (!view || view.part !== part) {
        view = this.createPartView(part);
        const old = this.partViews[index];
        if (old) old.el.replaceWith(view.el);
        else this.partsEl.append(view.el);
        this.partViews[index] = view;
      }
      this.updatePartView(view);
    });
    for (const extra of this.partViews.splice(visible.length)) extra.el.remove();
  }

  createPartView(part) {
    if (part.type === 'reasoning') {
      const body = h('div', { class: 'reasoning-body markdown' });
      const label = h('span', { class: 'reasoning-label' });
      const details = h('details', { class: 'reasoning' }, h('summary', {}, icon('bulb'), label, icon('chevron-down', 'reasoning-chevron')), body);
      // Open while thinking, as in the original; after that the user decides.
      details.open = part.state === 'streaming';
      return { part, el: details, body, label, text: null, state: part.state };
    }
    if (part.type === 'text') {
      const body = h('div', { class: 'markdown message-text' });
      return { part, el: body, body, text: null };
    }
    if (part.type.startsWith('tool-')) {
      return { part, el: h('div', { class: 'tool-call' }), text: null };
    }
    return { part, el: h('div', { hidden: true }), text: null };
  }

  updatePartView(view) {
    const part = view.part;
    if (part.type === 'reasoning') {
      if (view.state === 'streaming' && part.state !== 'streaming') view.el.open = false;
      view.state = part.state;
      view.label.textContent = part.state === 'streaming' ? 'Thinking…' : 'Reasoning';
    }
    if (part.type === 'text' || part.type === 'reasoning') {
      if (view.text === part.text) return;
      view.text = part.text;
      view.body.replaceChildren(renderMarkdown(part.text));
      if (part.type === 'text') view.body.classList.toggle('streaming-text', part.state === 'streaming');
      return;
    }
    if (part.type.startsWith('tool-')) {
      // A tool that never finished (the answer stopped or failed) must not look as if it still runs.
      const settled = (this.message.metadata?.status ?? 'complete') !== 'streaming';
      const key = toolKey(part) + settled;
      if (view.text === key) return;
      view.text = key;
      // The document API is the owner's only: a read-only viewer's cards do not open.
      renderToolPart(view.el, part, { settled, onOpenDocument: this.ctx?.readOnly ? null : this.handlers.onOpenDocument });
    }
  }

  renderStatus(status) {
    const metadata = this.message.metadata ?? {};
    const key = `${status}|${metadata.error ?? ''}`;
    if (this.statusKey === key) return;
    this.statusKey = key;
    this.statusEl.replaceChildren();
    if (status === 'failed') {
      this.statusEl.append(h('div', { class: 'notice notice-error message-error', role: 'alert' }, icon('alert', 'notice-icon'), h('p', { class: 'notice-message', text: metadata.error || 'The model failed to answer. Try regenerating the response.' })));
    } else if (status === 'stopped') {
      this.statusEl.append(h('p', { class: 'message-stopped', text: 'Stopped' }));
    }
  }

  renderActions(status) {
    const ctx = this.ctx;
    const key = [status, ctx.readOnly, ctx.busy, ctx.isLast, ctx.vote, this.editing].join('|');
    if (key === this.actionsKey) return;
    this.actionsKey = key;
    const focused = this.actionsEl.contains(document.activeElement) ? document.activeElement.dataset.action : null;
    const buttons = [];
    const button = (action, label, iconName, onClick, extra = {}) =>
      h('button', { type: 'button', class: 'icon-button action-button', 'aria-label': label, title: label, dataset: { action }, onclick: onClick, ...extra }, icon(iconName));
    const m = this.message;
    if (status !== 'streaming' && !this.editing) {
      if (m.role === 'user') {
        if (!ctx.readOnly) buttons.push(button('edit', 'Edit message', 'pencil', () => this.startEdit(), { disabled: ctx.busy }));
        buttons.push(button('copy', 'Copy message', 'copy', () => this.handlers.onCopy(m)));
      } else {
        // A failed answer with nothing in it has nothing to copy or rate, only to retry.
        const empty = !textOf(m).trim();
        if (!empty) buttons.push(button('copy', 'Copy answer', 'copy', () => this.handlers.onCopy(m)));
        if (!ctx.readOnly && !empty) {
          buttons.push(button('upvote', 'Good response', 'thumbs-up', () => this.handlers.onVote(m, 'up'), { 'aria-pressed': String(ctx.vote === 'up') }));
          buttons.push(button('downvote', 'Bad response', 'thumbs-down', () => this.handlers.onVote(m, 'down'), { 'aria-pressed': String(ctx.vote === 'down') }));
        }
        if (!ctx.readOnly) {
          if (ctx.isLast) buttons.push(button('regenerate', 'Regenerate response', 'refresh', () => this.handlers.onRegenerate(m), { disabled: ctx.busy }));
        }
      }
    }
    this.actionsEl.replaceChildren(...buttons);
    this.actionsEl.hidden = buttons.length === 0;
    if (focused) this.actionsEl.querySelector(`[data-action="${focused}"]`)?.focus();
  }

  startEdit() {
    if (this.ctx.busy) return;
    this.editing = true;
    const original = textOf(this.message);
    const area = h('textarea', { class: 'edit-input', 'aria-label': 'Edit your message', rows: '3' });
    area.value = original;
    const cancel = () => {
      this.editing = false;
      this.partViews = [];
      this.update(this.ctx);
    };
    const form = h(
      'form',
      { class: 'edit-form' },
      area,
      h('div', { class: 'edit-actions' }, h('button', { type: 'button', class: 'button button-outline', text: 'Cancel', onclick: cancel }), h('button', { type: 'submit', class: 'button button-primary', text: 'Send' })),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = area.value.trim();
      if (!text) return;
      this.editing = false;
      this.partViews = [];
      if (text === original.trim()) return this.update(this.ctx);
      this.handlers.onEdit(this.message, text);
    });
    area.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') cancel();
      else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    this.partsEl.replaceChildren(form);
    this.renderActions(this.message.metadata?.status ?? 'complete');
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }
}

/** A sent message's attachments: images as thumbnails that open full size, documents as named chips. */
function attachmentList(files) {
  return h(
    'ul',
    { class: 'message-attachments', 'aria-label': 'Attachments' },
    files.map((file) => {
      const name = file.filename || 'file';
      const isImage = /^image\/(png|jpeg|gif|webp)$/.test(file.mediaType ?? '');
      return h(
        'li',
        {},
        isImage
          ? h('a', { class: 'attachment-thumb', href: file.url, target: '_blank', rel: 'noopener', title: name }, h('img', { src: file.url, alt: name, loading: 'lazy' }))
          : h('a', { class: 'attachment-chip', href: file.url, download: name, title: name }, icon('paperclip'), h('span', { text: name })),
      );
    }),
  );
}
