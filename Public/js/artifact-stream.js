// How the artifact panel follows the answer stream: document data parts and the document tools'
// parts open the panel on the right document and stream its content in; the stored versions take
// over once the document is finished.
import { applyDocumentPart } from './artifact-data.js';

export function followDataPart(panel, chunk) {
  const event = applyDocumentPart(panel.stream, chunk);
  if (!event) return;
  if (event === 'suggestion') {
    if (chunk.data.documentId === panel.doc?.id) panel.suggestions.add(chunk.data, panel.currentContent());
    return;
  }
  if (event === 'started') {
    if (panel.doc?.id !== panel.stream.id) panel.reset({ id: panel.stream.id, title: panel.stream.title, kind: panel.stream.kind ?? 'text' });
    panel.show();
  }
  if (!panel.doc || panel.doc.id !== panel.stream.id) return;
  if (panel.stream.title) panel.doc.title = panel.stream.title;
  if (panel.stream.kind) panel.doc.kind = panel.stream.kind;
  if (event === 'finished') {
    panel.reload();
    return;
  }
  // Deltas come faster than frames: render at most once per frame.
  if (panel.frame) return;
  panel.frame = requestAnimationFrame(() => {
    panel.frame = null;
    panel.render();
  });
}

/** Tool parts, for what the data parts may not say: an update streams into its document even if no
 * data part names it; finished suggestions are loaded. */
export function followToolPart(panel, part) {
  const id = part.input?.id ?? part.input?.documentId;
  if (!id) return;
  if (part.type === 'tool-updateDocument' && part.state === 'input-available' && !(panel.stream.status === 'streaming' && panel.stream.id === id)) {
    const known = panel.doc?.id === id;
    if (!known) {
      panel.reset({ id, title: '', kind: 'text' });
      panel.reload();
    }
    panel.stream = { id, kind: known ? panel.doc.kind : null, title: known ? panel.doc.title : '', content: panel.currentContent(), status: 'streaming' };
    panel.show();
    panel.render();
  } else if (part.state === 'output-available' && panel.doc?.id === id) {
    if (part.type === 'tool-requestSuggestions') panel.loadSuggestions();
    else panel.onRunEnded();
  }
}
