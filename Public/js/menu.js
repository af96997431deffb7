// Popup menus (user menu, per-chat menu, visibility): WAI-ARIA menu button pattern with
// arrow keys, Home/End, Escape, and click-outside to close. One menu is open at a time.
// The popup itself (menu-popup.js) is fetched on the first open, keeping the first load light.

let openMenu = null;

export function closeOpenMenu({ restoreFocus = false } = {}) {
  if (!openMenu) return;
  const { element, button, onClose } = openMenu;
  openMenu = null;
  element.remove();
  button.setAttribute('aria-expanded', 'false');
  document.removeEventListener('pointerdown', onOutside, true);
  window.removeEventListener('resize', onViewportChange);
  onClose?.();
  if (restoreFocus) button.focus();
}

function onOutside(event) {
  if (openMenu && !openMenu.element.contains(event.target) && !openMenu.button.contains(event.target)) closeOpenMenu();
}

function onViewportChange() {
  closeOpenMenu();
}

/**
 * Builds the menu items fresh on each open.
 * Item: {label, icon, onSelect, href, checked (radio state), danger, separator, heading}.
 */
export function attachMenu(button, buildItems, { align = 'start', side = 'bottom', label, onClose, matchWidth = false } = {}) {
  button.setAttribute('aria-haspopup', 'menu');
  button.setAttribute('aria-expanded', 'false');
  const open = async (focusLast = false) => {
    const { renderMenu, position, menuItems } = await import('./menu-popup.js');
    closeOpenMenu();
    const element = renderMenu(buildItems(), label);
    if (matchWidth) element.style.minWidth = `${Math.round(button.getBoundingClientRect().width)}px`;
    document.body.append(element);
    position(element, button, { align, side });
    openMenu = { element, button, onClose };
    button.setAttribute('aria-expanded', 'true');
    document.addEventListener('pointerdown', onOutside, true);
    window.addEventListener('resize', onViewportChange);
    const items = menuItems(element);
    (focusLast ? items[items.length - 1] : items[0])?.focus();
  };
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    if (openMenu?.button === button) closeOpenMenu();
    else open();
  });
  button.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      open(event.key === 'ArrowUp');
    }
  });
}
