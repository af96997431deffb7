// Sign-in and sign-up forms: sends JSON to /api/auth/login or /api/auth/register and shows the
// server's message on failure. Without JavaScript the form posts to the page itself.
import { api } from './api.js';
import { watchTheme } from './theme.js';

watchTheme();

const form = document.getElementById('auth-form');
const errorEl = document.getElementById('auth-error');
const submit = document.getElementById('auth-submit');
const kind = form.dataset.kind;

function showError(message, field) {
  errorEl.textContent = message;
  errorEl.hidden = false;
  for (const input of form.querySelectorAll('input')) input.removeAttribute('aria-invalid');
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = form.email.value.trim();
  const password = form.password.value;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return showError('Enter a valid email address, like user@acme.com.', form.email);
  if (kind === 'register' && password.length < 8) return showError('Use a password of at least 8 characters.', form.password);
  if (!password) return showError('Enter your password.', form.password);
  submit.disabled = true;
  submit.setAttribute('aria-busy', 'true');
  try {
    await api(`/api/auth/${kind}`, { method: 'POST', body: { email, password } });
    // The server put a same-origin path here (it checks redirectUrl as for guest sign-in).
    window.location.assign(form.dataset.redirect || '/');
  } catch (error) {
    showError(error.message);
    submit.disabled = false;
    submit.removeAttribute('aria-busy');
  }
});
