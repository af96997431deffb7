// The account menu at the bottom of the sidebar: who you are, theme, the admin page (administrators only), sign in/up or sign out.
import { api } from './api.js';
import { icon } from './icons.js';
import { attachMenu } from './menu.js';
import { toast } from './notices.js';
import { setTheme, themeChoice } from './theme.js';

/** Initials on a colour picked from the email, drawn locally: no remote avatar service. */
export function renderAvatar(element, email) {
  element.replaceChildren();
  if (!email) {
    element.classList.add('avatar-guest');
    element.append(icon('user'));
    return;
  }
  let hash = 0;
  for (const char of email) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  element.classList.add(`avatar-hue-${hash % 6}`);
  element.textContent = [...email][0].toUpperCase();
}

export function setupUserMenu({ email, isGuest, isAdmin = false }) {
  const button = document.getElementById('user-button');
  if (!button) return;
  renderAvatar(document.getElementById('user-avatar'), isGuest ? null : email);
  const theme = (value, label, iconName) => ({ label, icon: iconName, checked: themeChoice() === value, id: `theme-${value}`, onSelect: () => setTheme(value) });
  attachMenu(
    button,
    () => [
      { heading: isGuest ? 'Signed in as a guest' : email },
      { separator: true },
      { heading: 'Theme' },
      theme('light', 'Light', 'sun'),
      theme('dark', 'Dark', 'moon'),
      theme('system', 'System', 'monitor'),
      { separator: true },
      ...(isAdmin ? [{ label: 'Administration', icon: 'lock', href: '/admin', id: 'admin' }] : []),
      ...(isGuest
        ? [
            { label: 'Sign in to your account', icon: 'log-in', href: '/login', id: 'login' },
            { label: 'Create an account', icon: 'user-plus', href: '/register', id: 'register' },
          ]
        : [{ label: 'Sign out', icon: 'log-out', id: 'logout', onSelect: logout }]),
    ],
    { side: 'top', label: 'Account', matchWidth: true },
  );
}

async function logout() {
  try {
    await api('/api/auth/logout', { method: 'POST' });
    window.location.assign('/');
  } catch (error) {
    toast(error.message, 'error');
  }
}
