// Tool calls in an answer. The document tools show as cards that open the artifact panel; any
// other tool as a compact, expandable call with its input and output.
import { documentOf } from './artifact-data.js';
import { h, loadStylesheet } from './dom.js';
import { icon } from './icons.js';

const DOCUMENT_TOOLS = {
  createDocument: { running: 'Creating', done: 'Created', failed: 'Could not create' },
  updateDocument: { running: 'Updating', done: 'Updated', failed: 'Could not update' },
  requestSuggestions: { running: 'Finding suggestions for', done: 'Added suggestions to', failed: 'Could not add suggestions to' },
};
const KIND_ICONS = { text: 'pencil', code: 'tool', sheet: 'more' };
const STATE_LABELS = { 'input-streaming': 'Preparing', 'input-available': 'Running', 'output-available': 'Done', 'output-error': 'Failed' };

/** A key that changes whenever what the view shows changes. */
export function toolKey(part) {
  return JSON.stringify([part.state, part.input ?? null, part.output ?? null, part.errorText ?? null, part.streamDocumentId ?? null]);
}

/** Fills `el` with the view of a `tool-<name>` part. */
export function renderToolPart(el, part, { onOpenDocument, settled = false } = {}) {
  const name = part.type.slice(5);
  const labels = DOCUMENT_TOOLS[name];
  const interrupted = settled && part.state !== 'output-available' && part.state !== 'output-error';
  if (labels) renderDocumentCard(el, part, name, labels, onOpenDocument, interrupted);
  else renderGenericTool(el, part, name, interrupted);
}

function renderDocumentCard(el, part, name, labels, onOpenDocument, interrupted) {
  loadArtifactStyles();
  const doc = documentOf(part);
  const failed = part.state === 'output-error';
  const done = part.state === 'output-available' || interrupted;
  const verb = failed ? labels.failed : interrupted ? 'Interrupted:' : done ? labels.done : labels.running;
  const title = doc.title || (name === 'createDocument' ? 'a document' : 'the document');
  const description = name === 'updateDocument' && part.input?.description ? part.input.description : null;
  el.className = `tool-call document-card${failed ? ' document-card-failed' : ''}`;
  el.dataset.tool = name;
  el.dataset.state = interrupted ? 'interrupted' : part.state ?? '';
  if (doc.id) el.dataset.documentId = doc.id;
  const label = h('span', { class: 'document-card-text' },
    h('span', { class: 'document-card-verb', text: `${verb}${done || failed ? '' : '…'}` }), ' ',
    h('span', { class: 'document-card-title', text: title }));
  const content = [
    h('span', { class: 'document-card-icon', 'aria-hidden': 'true' }, icon(done || failed ? KIND_ICONS[doc.kind] ?? 'pencil' : 'loader')),
    label,
    description ? h('span', { class: 'document-card-description', text: description }) : null,
  ];
  // Only a document with an id can be opened; a failed create has none.
  const openable = doc.id && !failed && onOpenDocument;
  const card = openable
    ? h('button', { type: 'button', class: 'document-card-button', 'aria-label': `Open document: ${title}`, dataset: { action: 'open-document' }, onclick: (event) => onOpenDocument(doc, event.currentTarget) }, content)
    : h('div', { class: 'document-card-button', 'aria-disabled': 'true' }, content);
  el.replaceChildren(card);
  if (failed && part.errorText) el.append(h('p', { class: 'message-error', text: part.errorText }));
}

function renderGenericTool(el, part, name, interrupted) {
  el.className = 'tool-call';
  el.dataset.tool = name;
  el.dataset.state = interrupted ? 'interrupted' : part.state ?? '';
  const state = interrupted ? 'Not finished' : STATE_LABELS[part.state] ?? part.state ?? '';
  el.replaceChildren(
    h('details', { class: 'tool-details' },
      h('summary', {}, icon('tool'), h('span', { class: 'tool-name', text: name }), h('span', { class: `tool-state tool-state-${part.state}`, text: state })),
      part.input !== undefined ? h('pre', { class: 'tool-json', 'aria-label': 'Input', text: JSON.stringify(part.input, null, 2) }) : null,
      part.output !== undefined ? h('pre', { class: 'tool-json', 'aria-label': 'Output', text: JSON.stringify(part.output, null, 2) }) : null,
      part.errorText ? h('p', { class: 'message-error', text: part.errorText }) : null,
    ),
  );
}

/** The panel's stylesheet, added once; the panel waits for it and cards ask for it too. */
export function loadArtifactStyles() {
  return loadStylesheet('/public/css/artifacts.css');
}
