// The model picker button: the catalog from /api/models, and the choice remembered in this
// browser. Its searchable list lives in model-popover.js, fetched when first opened.
import { api } from './api.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { toast } from './notices.js';
import { load, save } from './storage.js';

const KEY = 'chat-model';

export class ModelSelect {
  constructor(root) {
    this.root = root;
    this.models = [];
    this.selected = load(KEY);
    // The status shows while the model is being prepared (the local model on a first run: "installing…").
    this.status = h('span', { class: 'model-status', hidden: true });
    this.button = h('button', { type: 'button', class: 'model-button', 'aria-haspopup': 'listbox', 'aria-expanded': 'false', 'aria-label': 'Choose a model' }, h('span', { class: 'model-button-label', text: 'Model' }), this.status, icon('chevron-down'));
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
    this.watchInstalling();
  }

  /** While a model is installing, asks the server again every few seconds and says when it is ready. */
  watchInstalling() {
    const installing = this.models.filter((m) => m.status === 'installing');
    if (!installing.length) return;
    setTimeout(async () => {
      try {
        const fresh = (await api('/api/models')).models ?? this.models;
        for (const model of installing) if (fresh.find((m) => m.id === model.id)?.status === 'ready') toast(`${model.name} is ready: you can send messages.`);
        this.models = fresh;
        this.renderButton();
      } catch {
        // the next round tries again
      }
      this.watchInstalling();
    }, 3000);
  }

  get value() {
    return this.selected ?? this.defaultModel;
  }

  renderButton() {
    const model = this.models.find((m) => m.id === this.selected);
    const installing = model?.status === 'installing';
    this.button.firstChild.textContent = model?.name ?? 'Default model';
    this.status.textContent = installing ? 'installing…' : '';
    this.status.hidden = !installing;
    this.button.setAttribute('aria-label', `Model: ${model?.name ?? 'default'}${installing ? ', still installing: not ready to answer yet' : ''}. Choose a model`);
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
