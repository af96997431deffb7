// Syntax highlighting for code documents with Debian's highlight.js (libjs-highlight.js, served at
// /vendor/highlight.min.js when installed). highlight.js returns escaped HTML; we never put that in
// the page as HTML: it is parsed in an inert document and rebuilt from its text and the class
// names of its spans only. Without the library the code shows as plain text.
import { h } from './dom.js';

let loading = null;

export function loadHighlighter() {
  if (loading) return loading;
  loading = new Promise((resolve) => {
    if (window.hljs) return resolve(window.hljs);
    const script = document.createElement('script');
    script.src = '/vendor/highlight.min.js';
    script.async = true;
    script.addEventListener('load', () => resolve(typeof window.hljs?.highlight === 'function' ? window.hljs : null));
    script.addEventListener('error', () => resolve(null));
    document.head.append(script);
  });
  return loading;
}

export function highlighterReady() {
  return typeof window.hljs?.highlight === 'function';
}

const EXTENSIONS = {
  py: 'python', js: 'javascript', mjs: 'javascript', ts: 'typescript', swift: 'swift', rb: 'ruby', go: 'go',
  rs: 'rust', java: 'java', kt: 'kotlin', c: 'c', h: 'c', cpp: 'cpp', cs: 'csharp', php: 'php', sh: 'bash',
  bash: 'bash', sql: 'sql', html: 'xml', xml: 'xml', css: 'css', json: 'json', yaml: 'yaml', yml: 'yaml', md: 'markdown',
};
const LANGUAGE_WORDS = ['python', 'javascript', 'typescript', 'swift', 'ruby', 'rust', 'java', 'kotlin', 'bash', 'sql', 'go'];

/** A language from a document title ("fib.py", "A Python script"), else null (auto-detect). */
export function languageFor(title) {
  const text = String(title ?? '').toLowerCase();
  const extension = /\.([a-z0-9]{1,5})\b/.exec(text)?.[1];
  if (extension && EXTENSIONS[extension]) return EXTENSIONS[extension];
  return LANGUAGE_WORDS.find((word) => new RegExp(`\\b${word}\\b`).test(text)) ?? null;
}

const AUTO_SUBSET = ['python', 'javascript', 'typescript', 'swift', 'bash', 'sql', 'json', 'java', 'go', 'rust', 'cpp', 'ruby', 'xml', 'css'];

/** The code as highlighted DOM (a fragment of text nodes and <span class="hljs-…">), and the language used. */
export function highlight(code, language) {
  const hljs = window.hljs;
  if (!highlighterReady() || code.length > 200_000) return { fragment: document.createTextNode(code), language: null };
  let result;
  try {
    result = language && hljs.getLanguage(language) ? hljs.highlight(language, code, true) : hljs.highlightAuto(code, AUTO_SUBSET);
  } catch {
    return { fragment: document.createTextNode(code), language: null };
  }
  const parsed = new DOMParser().parseFromString(`<pre>${result.value}</pre>`, 'text/html');
  const fragment = document.createDocumentFragment();
  rebuild(parsed.body.firstChild, fragment);
  // Whatever the parse did, the text must be the code: if not, show the code plainly.
  if (fragment.textContent !== code) return { fragment: document.createTextNode(code), language: null };
  return { fragment, language: result.language ?? language };
}

function rebuild(source, target) {
  for (const node of source?.childNodes ?? []) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.append(node.data);
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      const classes = [...node.classList].filter((name) => /^hljs-[\w-]{1,40}$/.test(name) || /^[a-z]{1,20}_?$/.test(name));
      const span = h('span', { class: classes.join(' ') || null });
      rebuild(node, span);
      target.append(span);
    }
  }
}
