// Reads a server-sent event stream from a fetch Response: the AI SDK UI message stream
// ("id: n" + "data: {json}" + blank line, ending with "data: [DONE]").
// Calls onChunk(chunk, eventId) for each JSON chunk and resolves with whether [DONE] arrived.
export async function readEventStream(response, onChunk) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let eventId = null;
  let data = [];
  let done = false;

  const dispatch = () => {
    if (data.length === 0) return;
    const payload = data.join('\n');
    data = [];
    if (payload === '[DONE]') {
      done = true;
      return;
    }
    let chunk;
    try {
      chunk = JSON.parse(payload);
    } catch {
      return; // A malformed line must not end the whole answer.
    }
    onChunk(chunk, eventId);
  };

  const handleLine = (line) => {
    if (line === '') return dispatch();
    if (line.startsWith(':')) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'id') eventId = value;
  };

  for (;;) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.search(/\r\n|\n|\r/)) !== -1) {
      const line = buffer.slice(0, newline);
      const length = buffer.startsWith('\r\n', newline) ? 2 : 1;
      buffer = buffer.slice(newline + length);
      handleLine(line);
    }
  }
  buffer += decoder.decode();
  if (buffer) handleLine(buffer);
  dispatch();
  return { done, lastEventId: eventId };
}
