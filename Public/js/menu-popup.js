// The popup half of menu.js: renders a menu's items with keyboard support, and places popups.
import { h } from './dom.js';
import { icon } from './icons.js';
import { closeOpenMenu } from './menu.js';

export function menuItems(element) {
  return [...element.querySelectorAll('[role^="menuitem"]:not([aria-disabled="true"])')];
}

export function renderMenu(items, label) {
  const element = h('div', { class: 'menu', role: 'menu', 'aria-label': label || null, tabindex: '-1' });
  for (const item of items) {
    if (item.separator) {
      element.append(h('div', { class: 'menu-separator', role: 'separator' }));
      continue;
    }
    if (item.heading) {
      element.append(h('div', { class: 'menu-heading', role: 'presentation', text: item.heading }));
      continue;
    }
    const isRadio = item.checked !== undefined;
    const tag = item.href ? 'a' : 'button';
    const node = h(
      tag,
      {
        class: `menu-item${item.danger ? ' menu-item-danger' : ''}`,
        role: isRadio ? 'menuitemradio' : 'menuitem',
        'aria-checked': isRadio ? String(Boolean(item.checked)) : null,
        href: item.href || null,
        type: item.href ? null : 'button',
        tabindex: '-1',
        dataset: item.id ? { action: item.id } : {},
      },
      item.icon ? icon(item.icon) : null,
      h('span', { class: 'menu-item-label', text: item.label }),
      isRadio && item.checked ? icon('check', 'menu-check') : null,
    );
    node.addEventListener('click', (event) => {
      if (!item.href) event.preventDefault();
      closeOpenMenu({ restoreFocus: !item.href });
      item.onSelect?.();
    });
    element.append(node);
  }
  element.addEventListener('keydown', (event) => {
    const items = menuItems(element);
    const index = items.indexOf(document.activeElement);
    const move = (to) => {
      event.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      closeOpenMenu({ restoreFocus: true });
    } else if (event.key === 'Tab') closeOpenMenu();
  });
  return element;
}

/** Places the menu next to its button, kept inside the viewport (CSSOM styles are allowed by our CSP). */
export function position(element, anchor, { align = 'start', side = 'bottom' } = {}) {
  const rect = anchor.getBoundingClientRect();
  const menuRect = element.getBoundingClientRect();
  const margin = 8;
  let left = align === 'end' ? rect.right - menuRect.width : rect.left;
  left = Math.max(margin, Math.min(left, window.innerWidth - menuRect.width - margin));
  let top = side === 'top' ? rect.top - menuRect.height - 4 : rect.bottom + 4;
  if (top + menuRect.height > window.innerHeight - margin) top = Math.max(margin, rect.top - menuRect.height - 4);
  if (top < margin) top = margin;
  element.style.left = `${Math.round(left)}px`;
  element.style.top = `${Math.round(top)}px`;
}
