// The model picker button: the catalog from /api/models, and the choice remembered in this
// browser. Its searchable list lives in model-popover.js, fetched when first opened.
import { api } from './api.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { load, save } from './storage.js';

const KEY = 'chat-model';

export class ModelSelect {
  constructor(root) {
    this.root = root;
    this.models = [];
    this.selected = load(KEY);
    this.button = h('button', { type: 'button', class: 'model-button', 'aria-haspopup': 'listbox', 'aria-expanded': 'false', 'aria-label': 'Choose a model' }, h('span', { class: 'model-button-label', text: 'Model' }), icon('chevron-down'));
    this.button.addEventListener('click', () => (this.popover ? this.close() : this.open()));
    root.append(this.button);
    this.ready = this.load();
  }

  async load() {
    try {
      const catalog = await api('/api/models');
      this.models = catalog.models ?? [];
      this.defaultModel = catalog.defaultModel;
      if (!this.models.some((model) => model.id === this.selected)) this.selected = this.defaultModel ?? this.models[0]?.id;
    } catch {
      this.selected ??= null; // the server falls back to its default
    }
    this.renderButton();
  }

  get value() {
    return this.selected ?? this.defaultModel;
  }

  renderButton() {
    const model = this.models.find((m) => m.id === this.selected);
    this.button.firstChild.textContent = model?.name ?? 'Default model';
    this.button.setAttribute('aria-label', `Model: ${model?.name ?? 'default'}. Choose a model`);
  }

  choose(id) {
    this.selected = id;
    save(KEY, id);
    this.renderButton();
    this.onChange?.(id);
    this.close();
    this.button.focus();
  }

  async open() {
    const { openPopover } = await import('./model-popover.js');
    if (!this.popover) openPopover(this);
  }

  close() {
    this.closePopover?.();
  }
}
