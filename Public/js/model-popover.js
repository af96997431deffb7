// The model picker's searchable list (combobox + listbox pattern): type to filter, arrows to
// move, Enter to choose, Escape to close.
import { h } from './dom.js';
import { icon } from './icons.js';
import { position } from './menu-popup.js';

export function openPopover(select) {
  const listId = 'model-list';
  const search = h('input', { type: 'search', class: 'model-search', placeholder: 'Search models…', role: 'combobox', 'aria-expanded': 'true', 'aria-controls': listId, 'aria-autocomplete': 'list', 'aria-label': 'Search models', autocomplete: 'off' });
  const list = h('ul', { class: 'model-list', id: listId, role: 'listbox', 'aria-label': 'Models' });
  const popover = h('div', { class: 'popover model-popover' }, h('div', { class: 'model-search-row' }, icon('search'), search), list);
  let visible = [];
  let active = 0;

  const highlight = () => {
    const options = [...list.querySelectorAll('[role="option"]')];
    options.forEach((option, index) => option.classList.toggle('active', index === active));
    const current = options[active];
    if (current) {
      search.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else search.removeAttribute('aria-activedescendant');
  };

  const filter = (query) => {
    const q = query.trim().toLowerCase();
    visible = select.models.filter((m) => !q || `${m.name} ${m.description ?? ''} ${m.provider ?? ''} ${m.id}`.toLowerCase().includes(q));
    active = Math.max(0, visible.findIndex((m) => m.id === select.selected));
    list.replaceChildren(
      ...visible.map((model, index) =>
        h(
          'li',
          { class: 'model-option', role: 'option', id: `model-option-${index}`, 'aria-selected': String(model.id === select.selected), dataset: { modelId: model.id }, onclick: () => select.choose(model.id) },
          h('span', { class: 'model-option-text' }, h('span', { class: 'model-name', text: model.name }), model.status === 'installing' ? h('span', { class: 'model-status', text: 'installing… not ready to answer yet' }) : null, model.description ? h('span', { class: 'model-description', text: model.description }) : null),
          model.id === select.selected ? icon('check', 'model-check') : null,
        ),
      ),
    );
    if (visible.length === 0) list.append(h('li', { class: 'model-empty', role: 'presentation', text: 'No model matches.' }));
    highlight();
  };

  const outside = (event) => {
    if (!popover.contains(event.target) && !select.button.contains(event.target)) close();
  };
  const close = () => {
    document.removeEventListener('pointerdown', outside, true);
    popover.remove();
    select.popover = null;
    select.closePopover = null;
    select.button.setAttribute('aria-expanded', 'false');
  };

  search.addEventListener('input', () => filter(search.value));
  search.addEventListener('keydown', (event) => {
    const count = visible.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count) active = (active + (event.key === 'ArrowDown' ? 1 : -1) + count) % count;
      highlight();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (visible[active]) select.choose(visible[active].id);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
      select.button.focus();
    } else if (event.key === 'Tab') close();
  });

  document.body.append(popover);
  filter('');
  position(popover, select.button, { side: 'top' });
  select.popover = popover;
  select.closePopover = close;
  select.button.setAttribute('aria-expanded', 'true');
  document.addEventListener('pointerdown', outside, true);
  search.focus();
}
