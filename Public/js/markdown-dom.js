// Builds DOM from marked's tokens (its lexer output) instead of from HTML. Nothing is ever parsed
// as HTML, so there is nothing to sanitise: raw HTML in an answer shows up as literal text, links
// keep only http(s)/mailto targets, and every piece of text goes in through text nodes.
import { h } from './dom.js';

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

export function isSafeHref(href) {
  try {
    return SAFE_PROTOCOLS.has(new URL(href, window.location.href).protocol);
  } catch {
    return false;
  }
}

/** marked 4 hands inline text and code spans over HTML-escaped; we want the characters back. */
function unescape(text) {
  return String(text ?? '').replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);
}

export function renderBlocks(tokens, parent) {
  for (const token of tokens ?? []) {
    const node = block(token);
    if (node) parent.append(node);
  }
  return parent;
}

function block(token) {
  switch (token.type) {
    case 'space':
    case 'def':
      return null;
    case 'paragraph':
      return renderInline(token.tokens, h('p'));
    case 'heading':
      return renderInline(token.tokens, h(`h${Math.min(Math.max(token.depth, 1), 6)}`));
    case 'code':
      return h('pre', {}, h('code', { class: token.lang ? `language-${String(token.lang).split(/\s/)[0]}` : null, text: token.text ?? '' }));
    case 'blockquote':
      return renderBlocks(token.tokens, h('blockquote'));
    case 'hr':
      return h('hr');
    case 'list': {
      const list = h(token.ordered ? 'ol' : 'ul');
      if (token.ordered && Number.isInteger(token.start) && token.start !== 1) list.setAttribute('start', String(token.start));
      for (const item of token.items ?? []) {
        const li = h('li');
        if (item.task) li.append(`${item.checked ? '☑' : '☐'} `);
        renderBlocks(item.tokens, li);
        list.append(li);
      }
      return list;
    }
    case 'table': {
      const cell = (tag, data, index) => renderInline(data.tokens, h(tag, { dataset: token.align?.[index] ? { align: token.align[index] } : {} }));
      return h(
        'table',
        {},
        h('thead', {}, h('tr', {}, (token.header ?? []).map((data, i) => cell('th', data, i)))),
        h('tbody', {}, (token.rows ?? []).map((row) => h('tr', {}, row.map((data, i) => cell('td', data, i))))),
      );
    }
    case 'text':
      // Block-level text (tight list items) carries inline tokens.
      return token.tokens ? renderInline(token.tokens, document.createDocumentFragment()) : document.createTextNode(unescape(token.text));
    case 'html':
      return h('p', { text: token.text ?? token.raw ?? '' });
    default:
      return token.raw ? document.createTextNode(token.raw) : null;
  }
}

export function renderInline(tokens, parent) {
  for (const token of tokens ?? []) parent.append(inline(token));
  return parent;
}

function inline(token) {
  switch (token.type) {
    case 'text':
      return token.tokens ? renderInline(token.tokens, document.createDocumentFragment()) : document.createTextNode(unescape(token.text));
    case 'escape':
      return document.createTextNode(unescape(token.text));
    case 'strong':
      return renderInline(token.tokens, h('strong'));
    case 'em':
      return renderInline(token.tokens, h('em'));
    case 'del':
      return renderInline(token.tokens, h('del'));
    case 'codespan':
      return h('code', { text: unescape(token.text) });
    case 'br':
      return h('br');
    case 'link': {
      const label = renderInline(token.tokens, document.createDocumentFragment());
      if (!isSafeHref(token.href)) return label;
      return h('a', { href: token.href, title: token.title || null, target: '_blank', rel: 'noopener noreferrer nofollow' }, label);
    }
    case 'image':
      // No remote images (no external resources at all): show the alt text, linked when safe.
      return isSafeHref(token.href) ? h('a', { href: token.href, target: '_blank', rel: 'noopener noreferrer nofollow', text: token.text || token.href }) : document.createTextNode(token.text ?? '');
    case 'html':
      return document.createTextNode(token.text ?? token.raw ?? '');
    default:
      return document.createTextNode(token.raw ?? '');
  }
}
