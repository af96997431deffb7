// Markdown for model answers, the same for live and stored messages. marked (Debian's
// libjs-marked, served by the app at /vendor/marked.min.js) tokenises; markdown-dom.js builds the
// DOM from those tokens, so no HTML string is ever parsed and no sanitiser is needed.
// Loaded lazily so the first paint does not wait; until it loads, or if it cannot, text is shown
// as plain text.
import { copyText } from './clipboard.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { toast } from './notices.js';

let marked = null;
let renderBlocks = null;
let loading = null;
const readyCallbacks = [];

/** Starts loading marked once; resolves either way (failure keeps the plain-text fallback). */
export function loadMarkdown() {
  if (loading) return loading;
  // markdown-dom.js comes with marked, so the first paint of a new chat downloads neither.
  const renderer = import('./markdown-dom.js').then((module) => (renderBlocks = module.renderBlocks)).catch(() => null);
  loading = new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = '/vendor/marked.min.js';
    script.async = true;
    script.addEventListener('load', () => resolve(true));
    script.addEventListener('error', () => resolve(false));
    document.head.append(script);
  }).then(async () => {
    await renderer;
    if (typeof window.marked?.lexer !== 'function' || !renderBlocks) return;
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
  const fragment = document.createDocumentFragment();
  let tokens = null;
  if (marked) {
    try {
      tokens = marked.lexer(text, { gfm: true, breaks: false, mangle: false, headerIds: false });
    } catch {
      tokens = null;
    }
  }
  if (!tokens) {
    fragment.append(h('div', { class: 'plain-text', text }));
    return fragment;
  }
  renderBlocks(tokens, fragment);
  enhanceCodeBlocks(fragment);
  wrapTables(fragment);
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
