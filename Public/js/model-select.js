// The model picker: the catalog from /api/models, searchable (combobox + listbox pattern),
// and the choice remembered in this browser.
import { api } from './api.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { position } from './menu.js';
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
    this.close();
    this.button.focus();
  }

  open() {
    const listId = 'model-list';
    this.search = h('input', { type: 'search', class: 'model-search', placeholder: 'Search models…', role: 'combobox', 'aria-expanded': 'true', 'aria-controls': listId, 'aria-autocomplete': 'list', 'aria-label': 'Search models', autocomplete: 'off' });
    this.list = h('ul', { class: 'model-list', id: listId, role: 'listbox', 'aria-label': 'Models' });
    this.popover = h('div', { class: 'popover model-popover' }, h('div', { class: 'model-search-row' }, icon('search'), this.search), this.list);
    document.body.append(this.popover);
    this.filter('');
    position(this.popover, this.button, { side: 'top' });
    this.button.setAttribute('aria-expanded', 'true');
    this.search.addEventListener('input', () => this.filter(this.search.value));
    this.search.addEventListener('keydown', (event) => this.onKey(event));
    this.outside = (event) => {
      if (!this.popover.contains(event.target) && !this.button.contains(event.target)) this.close();
    };
    document.addEventListener('pointerdown', this.outside, true);
    this.search.focus();
  }

  close() {
    if (!this.popover) return;
    document.removeEventListener('pointerdown', this.outside, true);
    this.popover.remove();
    this.popover = null;
    this.button.setAttribute('aria-expanded', 'false');
  }

  filter(query) {
    const q = query.trim().toLowerCase();
    this.visible = this.models.filter((m) => !q || `${m.name} ${m.description ?? ''} ${m.provider ?? ''} ${m.id}`.toLowerCase().includes(q));
    this.active = Math.max(0, this.visible.findIndex((m) => m.id === this.selected));
    this.list.replaceChildren(
      ...this.visible.map((model, index) =>
        h(
          'li',
          { class: 'model-option', role: 'option', id: `model-option-${index}`, 'aria-selected': String(model.id === this.selected), dataset: { modelId: model.id }, onclick: () => this.choose(model.id) },
          h('span', { class: 'model-option-text' }, h('span', { class: 'model-name', text: model.name }), model.description ? h('span', { class: 'model-description', text: model.description }) : null),
          model.id === this.selected ? icon('check', 'model-check') : null,
        ),
      ),
    );
    if (this.visible.length === 0) this.list.append(h('li', { class: 'model-empty', role: 'presentation', text: 'No model matches.' }));
    this.highlight();
  }

  highlight() {
    const options = [...this.list.querySelectorAll('[role="option"]')];
    options.forEach((option, index) => option.classList.toggle('active', index === this.active));
    const current = options[this.active];
    if (current) {
      this.search.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else this.search.removeAttribute('aria-activedescendant');
  }

  onKey(event) {
    const count = this.visible.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count) this.active = (this.active + (event.key === 'ArrowDown' ? 1 : -1) + count) % count;
      this.highlight();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const model = this.visible[this.active];
      if (model) this.choose(model.id);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.close();
      this.button.focus();
    } else if (event.key === 'Tab') this.close();
  }
}
