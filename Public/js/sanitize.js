// Turns HTML (marked's output) into safe DOM nodes by rebuilding it from an allowlist.
// The HTML is parsed in an inert document (DOMParser: no scripts run, nothing loads); then only
// known tags are re-created in the live document, with only the attributes copied below. Nothing
// is ever serialised and re-parsed, so mutation-XSS tricks have nothing to work with.
// This is the guard we rely on: DOMPurify runs before it when the installed copy works.

const KEEP = new Set([
  'P', 'BR', 'HR', 'STRONG', 'B', 'EM', 'I', 'DEL', 'S', 'CODE', 'PRE', 'KBD', 'SUB', 'SUP',
  'UL', 'OL', 'LI', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6',
  'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'A', 'SPAN', 'DIV',
]);
// Dropped with everything inside them; any other unknown tag is unwrapped (its text kept).
const DROP = new Set([
  'SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED', 'APPLET', 'SVG', 'MATH',
  'NOSCRIPT', 'NOEMBED', 'NOFRAMES', 'TEXTAREA', 'SELECT', 'OPTION', 'TITLE', 'HEAD', 'META', 'LINK', 'BASE',
  'FORM', 'INPUT', 'BUTTON', 'IMG', 'VIDEO', 'AUDIO', 'SOURCE', 'TRACK', 'PICTURE', 'CANVAS', 'DIALOG', 'XMP', 'PLAINTEXT',
]);
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const MAX_DEPTH = 64;

export function isSafeHref(href) {
  try {
    return SAFE_PROTOCOLS.has(new URL(href, window.location.href).protocol);
  } catch {
    return false;
  }
}

function copyAttributes(source, target) {
  const tag = source.tagName;
  if (tag === 'A') {
    const href = source.getAttribute('href');
    if (href && isSafeHref(href)) {
      target.setAttribute('href', href);
      target.setAttribute('target', '_blank');
      target.setAttribute('rel', 'noopener noreferrer nofollow');
    }
    const title = source.getAttribute('title');
    if (title) target.setAttribute('title', title);
  } else if (tag === 'CODE') {
    const language = /(?:^|\s)(language-[\w+#.-]{1,30})(?:\s|$)/.exec(source.getAttribute('class') ?? '')?.[1];
    if (language) target.className = language;
  } else if (tag === 'OL') {
    const start = Number.parseInt(source.getAttribute('start') ?? '', 10);
    if (Number.isFinite(start)) target.setAttribute('start', String(start));
  } else if (tag === 'TH' || tag === 'TD') {
    const align = source.getAttribute('align');
    if (align === 'left' || align === 'right' || align === 'center') target.dataset.align = align;
  }
}

function rebuild(source, parent, depth) {
  for (const node of source.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      parent.append(document.createTextNode(node.data));
    } else if (node.nodeType === Node.ELEMENT_NODE && depth < MAX_DEPTH) {
      const tag = node.tagName.toUpperCase();
      if (DROP.has(tag)) continue;
      if (KEEP.has(tag)) {
        const copy = document.createElement(tag.toLowerCase());
        copyAttributes(node, copy);
        rebuild(node, copy, depth + 1);
        parent.append(copy);
      } else {
        rebuild(node, parent, depth + 1);
      }
    }
    // Comments, processing instructions and the rest are dropped.
  }
}

/** Safe DOM for `html`, as a DocumentFragment of the live document. */
export function sanitizeToFragment(html) {
  const inert = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
  const fragment = document.createDocumentFragment();
  rebuild(inert.body, fragment, 0);
  return fragment;
}
