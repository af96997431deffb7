// Applies UI message stream chunks to an assistant message ({id, role, parts, metadata}).
// Pure data: no DOM here, so live streams and stored messages end up in the same shape.

export function newAssistantMessage(id, model) {
  return { id, role: 'assistant', parts: [], metadata: { status: 'streaming', model }, createdAt: new Date().toISOString() };
}

export function textOf(message, type = 'text') {
  return message.parts
    .filter((part) => part.type === type)
    .map((part) => part.text)
    .join('\n\n');
}

function streamingPart(parts, type, id) {
  for (let i = parts.length - 1; i >= 0; i--) {
    if (parts[i].type === type && (id === undefined || parts[i].streamId === id)) return parts[i];
  }
  const part = { type, text: '', state: 'streaming', streamId: id };
  parts.push(part);
  return part;
}

function toolPart(parts, chunk) {
  let part = parts.find((p) => p.toolCallId === chunk.toolCallId);
  if (!part) {
    part = { type: `tool-${chunk.toolName ?? 'unknown'}`, toolCallId: chunk.toolCallId, state: 'input-streaming' };
    parts.push(part);
  }
  return part;
}

/** Mutates `message`; returns true when something visible changed. */
export function applyChunk(message, chunk) {
  const parts = message.parts;
  switch (chunk.type) {
    case 'start-step':
      parts.push({ type: 'step-start' });
      return false;
    case 'text-start':
    case 'reasoning-start': {
      const type = chunk.type.slice(0, chunk.type.indexOf('-'));
      parts.push({ type, text: '', state: 'streaming', streamId: chunk.id });
      return true;
    }
    case 'text-delta':
    case 'reasoning-delta': {
      const type = chunk.type.slice(0, chunk.type.indexOf('-'));
      streamingPart(parts, type, chunk.id).text += chunk.delta ?? '';
      return true;
    }
    case 'text-end':
    case 'reasoning-end': {
      const type = chunk.type.slice(0, chunk.type.indexOf('-'));
      streamingPart(parts, type, chunk.id).state = 'done';
      return true;
    }
    case 'tool-input-start':
      toolPart(parts, chunk);
      return true;
    case 'tool-input-available':
      Object.assign(toolPart(parts, chunk), { state: 'input-available', input: chunk.input });
      return true;
    case 'tool-output-available':
      Object.assign(toolPart(parts, chunk), { state: 'output-available', output: chunk.output });
      return true;
    case 'tool-output-error':
    case 'tool-input-error':
      Object.assign(toolPart(parts, chunk), { state: 'output-error', errorText: chunk.errorText });
      return true;
    case 'message-metadata':
      Object.assign(message.metadata, chunk.messageMetadata);
      return false;
    case 'finish':
      if (chunk.messageMetadata) Object.assign(message.metadata, chunk.messageMetadata);
      if (message.metadata.status === 'streaming') message.metadata.status = 'complete';
      finishParts(parts);
      return true;
    case 'abort':
      message.metadata.status = 'stopped';
      finishParts(parts);
      return true;
    case 'error':
      message.metadata.status = 'failed';
      message.metadata.error = chunk.errorText || 'The model failed to answer. Try again.';
      finishParts(parts);
      return true;
    default:
      return false;
  }
}

function finishParts(parts) {
  for (const part of parts) if (part.state === 'streaming') part.state = 'done';
}
