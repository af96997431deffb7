// Everything a conversation needs once there are messages to show. chat.js imports this module
// on demand, so the first paint of a new chat downloads none of it.
export { consumeAnswer, resumeAnswer } from './answer-stream.js';
export { newAssistantMessage, textOf } from './chat-state.js';
export { copyText } from './clipboard.js';
export { loadMarkdown, onMarkdownReady } from './markdown.js';
export { MessageView } from './message-view.js';
