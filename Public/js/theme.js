// Light, dark or system theme, remembered per browser. theme-boot.js applied it before paint.
import { load, save } from './storage.js';

const media = window.matchMedia('(prefers-color-scheme: dark)');

export function themeChoice() {
  return load('theme', 'system');
}

function apply(choice) {
  const dark = choice === 'dark' || (choice === 'system' && media.matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.documentElement.dataset.themeChoice = choice;
}

export function setTheme(choice) {
  save('theme', choice === 'system' ? null : choice);
  apply(choice);
}

/** Follows the operating system while the choice is "system", and other tabs' changes. */
export function watchTheme() {
  media.addEventListener('change', () => apply(themeChoice()));
  window.addEventListener('storage', (event) => {
    if (event.key === 'theme') apply(themeChoice());
  });
}
