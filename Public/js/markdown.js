// Markdown for model answers: parsed by marked, sanitized by DOMPurify (both from Debian's
// packages, served by the app under /vendor/). Loaded lazily so the first paint does not wait.
// Until they load, or if they cannot, text is shown as plain text via textContent: never unsanitized HTML.
import { copyText } from './clipboard.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { toast } from './notices.js';

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const PURIFY_CONFIG = {
  RETURN_DOM_FRAGMENT: true,
  USE_PROFILES: { html: true },
  // No forms, media, or embedded documents in an answer; no ids that could clobber ours.
  FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'video', 'audio', 'svg', 'math', 'dialog'],
  FORBID_ATTR: ['style', 'id', 'name', 'srcset', 'action', 'formaction'],
  ALLOW_DATA_ATTR: false,
};

let libraries = null;
let loading = null;
const readyCallbacks = [];

export function isSafeHref(href) {
  try {
    return SAFE_PROTOCOLS.has(new URL(href, window.location.href).protocol);
  } catch {
    return false;
  }
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.addEventListener('load', resolve);
    script.addEventListener('error', reject);
    document.head.append(script);
  });
}

/** Starts loading the libraries once; resolves either way (failure keeps the plain-text fallback). */
export function loadMarkdown() {
  loading ??= Promise.all([loadScript('/vendor/marked.min.js'), loadScript('/vendor/purify.min.js')])
    .then(() => {
      const { marked, DOMPurify } = window;
      if (!marked?.parse || !DOMPurify?.sanitize || DOMPurify.isSupported === false) return;
      DOMPurify.addHook('afterSanitizeAttributes', (node) => {
        if (node.tagName !== 'A') return;
        const href = node.getAttribute('href');
        if (!href || !isSafeHref(href)) {
          node.removeAttribute('href');
          return;
        }
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      });
      libraries = { marked, DOMPurify };
      for (const callback of readyCallbacks.splice(0)) callback();
    })
    .catch(() => {
      libraries = null;
    });
  return loading;
}

export function onMarkdownReady(callback) {
  if (libraries) callback();
  else readyCallbacks.push(callback);
}

/** Renders `text` into a fresh DocumentFragment. */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  if (!libraries) {
    fragment.append(h('div', { class: 'plain-text', text }));
    return fragment;
  }
  let html;
  try {
    html = libraries.marked.parse(text, { gfm: true, breaks: false, headerIds: false, mangle: false });
  } catch {
    fragment.append(h('div', { class: 'plain-text', text }));
    return fragment;
  }
  const clean = libraries.DOMPurify.sanitize(html, PURIFY_CONFIG);
  enhanceCodeBlocks(clean);
  wrapTables(clean);
  fragment.append(clean);
  return fragment;
}

function enhanceCodeBlocks(root) {
  for (const pre of root.querySelectorAll('pre')) {
    const code = pre.querySelector('code');
    const language = /(?:^|\s)language-([\w+#.-]{1,30})/.exec(code?.className ?? '')?.[1] ?? 'text';
    const copy = h('button', { type: 'button', class: 'code-copy', 'aria-label': `Copy ${language} code` }, icon('copy'), h('span', { text: 'Copy' }));
    copy.addEventListener('click', async () => {
      const ok = await copyText((code ?? pre).textContent);
      toast(ok ? 'Code copied to clipboard.' : 'Could not copy. Select the code and copy it by hand.', ok ? 'info' : 'error');
    });
    const figure = h('figure', { class: 'code-block' }, h('figcaption', { class: 'code-header' }, h('span', { class: 'code-lang', text: language }), copy));
    pre.replaceWith(figure);
    figure.append(pre);
    pre.tabIndex = 0; // scrollable region reachable by keyboard
  }
}

function wrapTables(root) {
  for (const table of root.querySelectorAll('table')) {
    const wrap = h('div', { class: 'table-wrap', tabindex: '0' });
    table.replaceWith(wrap);
    wrap.append(table);
  }
}
