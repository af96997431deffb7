// The artifact panel's data: the document API and the document parts of the answer stream.
import { api } from './api.js';

const q = encodeURIComponent;

/** All versions, oldest first: [{id, createdAt, title, kind, content}]. */
export const fetchVersions = (id) => api(`/api/document?id=${q(id)}`);

/** Saves the user's edit as a new version. */
export const saveVersion = (id, { title, kind, content }) => api(`/api/document?id=${q(id)}`, { method: 'POST', body: { title, kind, content } });

/** Restore: drops every version after the one created at `timestamp`. */
export const restoreVersion = (id, timestamp) => api(`/api/document?id=${q(id)}&timestamp=${q(timestamp)}`, { method: 'DELETE' });

export const fetchSuggestions = (id) => api(`/api/suggestions?documentId=${q(id)}`);

// Every kind's content arrives as pieces to append (our server's contract; the template sends code
// and sheets as the whole draft each time, which appending would duplicate).

/**
 * Applies one document data part to `stream` ({id, kind, title, content, status}); returns what
 * happened: 'started', 'changed', 'finished', 'suggestion' or null for parts it does not know.
 */
export function applyDocumentPart(stream, chunk) {
  const data = chunk.data;
  switch (chunk.type) {
    case 'data-kind':
      Object.assign(stream, { kind: String(data), content: '', status: 'streaming', id: null, title: '' });
      return 'changed';
    case 'data-id':
      stream.id = String(data);
      stream.status = 'streaming';
      return 'started';
    case 'data-title':
      stream.title = String(data ?? '');
      return 'changed';
    case 'data-clear':
      stream.content = '';
      return 'changed';
    case 'data-textDelta':
    case 'data-codeDelta':
    case 'data-sheetDelta':
      if (typeof data !== 'string') return null;
      stream.content = (stream.content ?? '') + data;
      return 'changed';
    case 'data-finish':
      stream.status = 'idle';
      return 'finished';
    case 'data-suggestion':
      return data && typeof data === 'object' ? 'suggestion' : null;
    default:
      return null;
  }
}

/** The document a tool part is about: {id, title, kind} as far as known, for cards and opening. */
export function documentOf(part) {
  const input = part.input ?? {};
  const output = part.output && typeof part.output === 'object' ? part.output : {};
  return {
    id: output.id ?? input.id ?? input.documentId ?? part.streamDocumentId ?? null,
    title: output.title ?? input.title ?? null,
    kind: output.kind ?? input.kind ?? null,
  };
}
