// A small diff for "view changes": lines first, then words inside each changed stretch, so an
// edited sentence shows the words that changed rather than a whole removed and added paragraph.
// Longest common subsequence on what is left after the common head and tail; past a size cap it
// reports the middle as replaced (a document that large changed wholesale anyway).
import { h } from './dom.js';

const CELL_CAP = 4_000_000;

/** Diffs two token arrays; returns [{type: 'equal'|'insert'|'delete', tokens}] in order. */
export function diffTokens(a, b) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops = [];
  const push = (type, token) => {
    const last = ops[ops.length - 1];
    if (last?.type === type) last.tokens.push(token);
    else ops.push({ type, tokens: [token] });
  };
  a.slice(0, start).forEach((t) => push('equal', t));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > CELL_CAP) {
    midA.forEach((t) => push('delete', t));
    midB.forEach((t) => push('insert', t));
  } else {
    // lengths[i][j]: LCS length of midA[i:] and midB[j:], in one flat array.
    const width = midB.length + 1;
    const lengths = new Uint32Array((midA.length + 1) * width);
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        lengths[i * width + j] = midA[i] === midB[j] ? lengths[(i + 1) * width + j + 1] + 1 : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length && j < midB.length) {
      if (midA[i] === midB[j]) {
        push('equal', midA[i]);
        i++;
        j++;
      } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) {
        push('delete', midA[i++]);
      } else {
        push('insert', midB[j++]);
      }
    }
    while (i < midA.length) push('delete', midA[i++]);
    while (j < midB.length) push('insert', midB[j++]);
  }
  a.slice(endA).forEach((t) => push('equal', t));
  return ops;
}

const lines = (text) => String(text ?? '').split(/(?<=\n)/);
const words = (text) => text.match(/\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];

/** Segments [{type, text}] between two texts: whole equal lines, word-level changes inside edits. */
export function diffText(before, after) {
  const segments = [];
  const push = (type, text) => {
    if (!text) return;
    const last = segments[segments.length - 1];
    if (last?.type === type) last.text += text;
    else segments.push({ type, text });
  };
  const ops = diffTokens(lines(before), lines(after));
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    const next = ops[k + 1];
    if (op.type === 'delete' && next?.type === 'insert') {
      for (const w of diffTokens(words(op.tokens.join('')), words(next.tokens.join('')))) push(w.type, w.tokens.join(''));
      k++;
    } else {
      push(op.type, op.tokens.join(''));
    }
  }
  return segments;
}

/** The diff as inert DOM: text nodes inside <ins>/<del>, with words for screen readers. */
export function renderDiff(before, after) {
  const segments = diffText(before, after);
  const changed = segments.filter((s) => s.type !== 'equal').length;
  const body = h('div', { class: 'diff-body' });
  for (const segment of segments) {
    if (segment.type === 'equal') body.append(segment.text);
    else if (segment.type === 'insert') body.append(h('ins', { class: 'diff-insert' }, h('span', { class: 'visually-hidden', text: '[added: ' }), segment.text, h('span', { class: 'visually-hidden', text: ']' })));
    else body.append(h('del', { class: 'diff-delete' }, h('span', { class: 'visually-hidden', text: '[removed: ' }), segment.text, h('span', { class: 'visually-hidden', text: ']' })));
  }
  const summary = h('p', { class: 'diff-summary', text: changed === 0 ? 'No changes from the previous version.' : `${changed} change${changed === 1 ? '' : 's'} from the previous version.` });
  return h('div', { class: 'diff' }, summary, body);
}
