// Reading a running answer into the conversation: the event stream of a new run, and reattaching to a
// run after a reload or a dropped connection. Part of the conversation kit (conversation.js), so a new
// chat's first load does not download it; `chat` is the page's ChatController.
import { offlineError } from './api.js';
import { applyChunk } from './chat-state.js';
import { showErrorNotice } from './notices.js';
import { readEventStream } from './sse.js';
import { uuid } from './uuid.js';

// The document tools' data parts (see the artifacts wire contract); the panel loads on the first one.
const DOCUMENT_PARTS = /^data-(kind|id|title|clear|textDelta|codeDelta|sheetDelta|finish|suggestion)$/;
const RESUME_DELAYS = [0, 500, 1000, 2000, 4000, 8000, 8000];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies one answer stream to the chat; true when the answer ended (finished, stopped or aborted). */
export async function consumeAnswer(chat, response, controller, { fromScratch = false } = {}) {
  chat.setStatus('streaming');
  chat.replaying = fromScratch;
  let result = { done: false };
  try {
    result = await readEventStream(response, (chunk, id) => onChunk(chat, chunk, id));
  } catch {
    result = { done: false };
  }
  if (result.done || chat.finished || chat.userStopped || controller.signal.aborted) {
    chat.endRun();
    return true;
  }
  return false;
}

function onChunk(chat, chunk, id) {
  if (id !== null && id !== undefined) chat.lastEventId = id;
  if (chunk.type === 'start') {
    chat.startAssistant(chunk.messageId);
    return;
  }
  if (chunk.type === 'data-chat-title' && typeof chunk.data === 'string') {
    chat.setTitle(chunk.data);
    return;
  }
  if (chunk.type === 'error' && !chat.currentAssistant()) chat.startAssistant(uuid());
  const message = chat.currentAssistant();
  if (!message) return;
  if (DOCUMENT_PARTS.test(chunk.type)) {
    onDocumentPart(chat, message, chunk);
    return;
  }
  if (chunk.type === 'finish' || chunk.type === 'abort' || chunk.type === 'error') chat.finished = true;
  if (applyChunk(message, chunk)) chat.scheduleRender(message);
  if (chunk.type === 'tool-input-available' || chunk.type === 'tool-output-available') {
    const part = message.parts.find((p) => p.toolCallId === chunk.toolCallId);
    if (/^tool-(updateDocument|requestSuggestions)$/.test(part?.type)) chat.artifacts().then((panel) => panel.onToolPart(part));
  }
}

/** Document parts go to the artifact panel; the running document tool learns its document's id. */
function onDocumentPart(chat, message, chunk) {
  if (chunk.type === 'data-id') {
    const part = message.parts.findLast((p) => /^tool-(create|update)Document$/.test(p.type) && p.state !== 'output-available' && p.state !== 'output-error');
    if (part) {
      part.streamDocumentId = String(chunk.data);
      chat.scheduleRender(message);
    }
  }
  chat.artifacts().then((panel) => panel.onDataPart(chunk));
}

/** Reattaches to a running answer: after a reload (from scratch) or a dropped connection (from the last id seen). */
export async function resumeAnswer(chat, { fromScratch = false } = {}) {
  chat.resuming = true;
  chat.connectionLost = false;
  const controller = new AbortController();
  chat.controller = controller;
  chat.setStatus(chat.currentAssistant() ? 'streaming' : 'submitted');
  for (let attempt = 0; attempt < RESUME_DELAYS.length; attempt++) {
    await sleep(RESUME_DELAYS[attempt]);
    if (chat.userStopped && controller.signal.aborted) break;
    const headers = { accept: 'text/event-stream' };
    if (!fromScratch && chat.lastEventId !== null) headers['Last-Event-ID'] = String(chat.lastEventId);
    let response;
    try {
      response = await fetch(`/api/chat/${encodeURIComponent(chat.chatId)}/stream`, { headers, signal: controller.signal });
    } catch (error) {
      if (error.name === 'AbortError') break;
      continue;
    }
    if (response.status === 204) {
      // Nothing running any more: the stored messages are the truth.
      await chat.reloadMessages();
      chat.resuming = false;
      chat.endRun();
      return;
    }
    if (!response.ok) {
      if (response.status === 404 || response.status === 403) break;
      continue;
    }
    const progressBefore = chat.lastEventId;
    if (await consumeAnswer(chat, response, controller, { fromScratch })) {
      chat.resuming = false;
      return;
    }
    fromScratch = false;
    if (chat.lastEventId !== progressBefore) attempt = 0; // it moved: keep trying
  }
  chat.resuming = false;
  if (chat.userStopped) {
    chat.endRun();
    return;
  }
  chat.connectionLost = true;
  chat.endRun();
  showErrorNotice(chat.noticesEl, offlineError(), { isGuest: chat.isGuest, title: 'Lost the connection to the answer' });
}
