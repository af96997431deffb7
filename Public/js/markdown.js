// Markdown for model answers: parsed by marked (Debian's libjs-marked, served by the app under
// /vendor/), then made safe by sanitize.js, which rebuilds the HTML from an allowlist. DOMPurify
// (Debian's node-dompurify) runs first when the installed copy passes a self-test: bookworm's
// 2.4.1+dfsg-2+deb12u1 throws "shadowNode is not defined" on any input with markup, so there we
// rely on the allowlist alone. Loaded lazily so the first paint does not wait. Until marked loads,
// or if it cannot, text is shown as plain text via textContent: never unsanitised HTML.
import { copyText } from './clipboard.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { toast } from './notices.js';
import { sanitizeToFragment } from './sanitize.js';

let marked = null;
let purify = null;
let loading = null;
const readyCallbacks = [];

function loadScript(src) {
  return new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.addEventListener('load', () => resolve(true));
    script.addEventListener('error', () => resolve(false));
    document.head.append(script);
  });
}

function sanitizerWorks(DOMPurify) {
  try {
    return DOMPurify.sanitize('<b>ok</b><img src=x onerror=alert(1)><script>alert(1)</script>') === '<b>ok</b><img src="x">';
  } catch {
    return false;
  }
}

/** Starts loading the libraries once; resolves either way (failure keeps the plain-text fallback). */
export function loadMarkdown() {
  loading ??= Promise.all([loadScript('/vendor/marked.min.js'), loadScript('/vendor/purify.js')]).then(() => {
    const { DOMPurify } = window;
    if (DOMPurify?.sanitize && DOMPurify.isSupported !== false && sanitizerWorks(DOMPurify)) purify = DOMPurify;
    if (!window.marked?.parse) return;
    marked = window.marked;
    for (const callback of readyCallbacks.splice(0)) {
      try {
        callback();
      } catch (error) {
        console.error(error);
      }
    }
  });
  return loading;
}

export function onMarkdownReady(callback) {
  if (marked) callback();
  else readyCallbacks.push(callback);
}

/** Renders `text` into a fresh DocumentFragment. */
export function renderMarkdown(text) {
  if (!marked) return plain(text);
  let html;
  try {
    html = marked.parse(text, { gfm: true, breaks: false, headerIds: false, mangle: false });
    if (purify) html = purify.sanitize(html, { USE_PROFILES: { html: true } });
  } catch {
    return plain(text);
  }
  const fragment = sanitizeToFragment(html);
  enhanceCodeBlocks(fragment);
  wrapTables(fragment);
  return fragment;
}

function plain(text) {
  const fragment = document.createDocumentFragment();
  fragment.append(h('div', { class: 'plain-text', text }));
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
    pre.tabIndex = 0; // a scrollable region must be reachable by keyboard
  }
}

function wrapTables(root) {
  for (const table of root.querySelectorAll('table')) {
    const wrap = h('div', { class: 'table-wrap', tabindex: '0' });
    table.replaceWith(wrap);
    wrap.append(table);
  }
}
