// The model's suggestions for a document: each shows the sentence, the proposed one and why, with
// Apply. Only suggestions made for the version on screen (the server carries them over the user's own edits)
// whose sentence is still in the document are shown.
import { h } from './dom.js';
import { icon } from './icons.js';

export class SuggestionList {
  constructor({ onApply }) {
    this.onApply = onApply;
    this.items = [];
    this.dismissed = new Set();
    this.enabled = false;
    this.content = '';
    this.listEl = h('ul', { class: 'doc-suggestion-list' });
    this.headingEl = h('h3', { class: 'suggestions-heading', id: 'suggestions-heading' });
    this.el = h('section', { class: 'artifact-suggestions', 'aria-labelledby': 'suggestions-heading', hidden: true }, this.headingEl, this.listEl);
  }

  set(list, content = this.content) {
    this.items = list.filter((s) => s && !s.isResolved);
    this.refresh(content);
  }

  add(suggestion, content = this.content) {
    if (this.items.some((s) => s.id === suggestion.id)) return;
    this.items.push(suggestion);
    this.refresh(content);
  }

  remove(id) {
    this.dismissed.add(id);
    this.refresh(this.content);
  }

  /** The createdAt of the version on screen; suggestions made for other versions are not shown. */
  setVersion(createdAt) {
    this.version = createdAt ? Date.parse(createdAt) : null;
  }

  forVersion(s) {
    // Times come back cut to the millisecond: allow for the rounding.
    return this.version === null || this.version === undefined || !s.documentCreatedAt || Math.abs(Date.parse(s.documentCreatedAt) - this.version) < 2;
  }

  setEnabled(enabled) {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    this.key = null;
    this.refresh(this.content);
  }

  visible() {
    return this.items.filter((s) => !this.dismissed.has(s.id) && this.forVersion(s) && s.originalText && this.content.includes(s.originalText));
  }

  refresh(content) {
    this.content = content ?? '';
    const visible = this.visible();
    const key = `${this.enabled}|${visible.map((s) => s.id).join(',')}`;
    if (key === this.key) return;
    this.key = key;
    this.headingEl.textContent = `Suggestions (${visible.length})`;
    this.el.hidden = visible.length === 0;
    const focused = this.listEl.contains(document.activeElement);
    this.listEl.replaceChildren(...visible.map((s) => this.item(s)));
    if (focused) (this.listEl.querySelector('button:not([disabled])') ?? this.el).focus?.();
  }

  item(s) {
    const apply = h('button', { type: 'button', class: 'button button-primary', dataset: { action: 'apply-suggestion' }, disabled: !this.enabled, 'aria-label': `Apply suggestion: ${s.description || s.suggestedText}`, onclick: () => this.onApply(s) }, icon('check'), h('span', { text: 'Apply' }));
    const dismiss = h('button', { type: 'button', class: 'button button-outline', dataset: { action: 'dismiss-suggestion' }, onclick: () => this.remove(s.id) }, h('span', { text: 'Dismiss' }));
    return h('li', { class: 'doc-suggestion', dataset: { suggestionId: s.id }, tabindex: '-1' },
      s.description ? h('p', { class: 'doc-suggestion-description', text: s.description }) : null,
      h('p', { class: 'doc-suggestion-change' },
        h('del', {}, h('span', { class: 'visually-hidden', text: 'Instead of: ' }), s.originalText),
        ' ',
        h('ins', {}, h('span', { class: 'visually-hidden', text: 'write: ' }), s.suggestedText)),
      h('div', { class: 'doc-suggestion-actions' }, apply, dismiss));
  }

  focus(id) {
    const item = this.listEl.querySelector(`[data-suggestion-id="${CSS.escape(id)}"]`);
    item?.scrollIntoView({ block: 'nearest' });
    item?.focus();
  }
}
