// Entry point of the chat page: wires the page's parts together. Data comes from the
// attributes the server rendered on #app; everything else from the JSON APIs.
import { ChatController } from './chat.js';
import { Attachments } from './attachments.js';
import { Composer } from './composer.js';
import { setupGreeting } from './greeting.js';
import { ModelSelect } from './model-select.js';
import { ScrollFollower } from './scroll.js';
import { Sidebar } from './sidebar.js';
import { watchTheme } from './theme.js';
import { setupUserMenu } from './user-menu.js';
import { uuid } from './uuid.js';
import { VisibilitySelect } from './visibility.js';

const app = document.getElementById('app');
const data = app.dataset;
const isNew = data.newChat === 'true';
const chatId = data.chatId || uuid();
const isGuest = data.userType === 'guest';
const readOnly = data.readOnly === 'true';

watchTheme();
setupUserMenu({ email: data.userEmail, isGuest, isAdmin: data.admin === 'true' });

const form = document.getElementById('composer');
const visibilityRoot = document.getElementById('visibility-root');
const modelRoot = document.getElementById('model-select-root');
const modelSelect = modelRoot ? new ModelSelect(modelRoot) : null;

let chat;
const sidebar = new Sidebar({
  app,
  activeChatId: isNew ? null : chatId,
  onChatDeleted: (id) => {
    if (id === chat?.chatId) window.location.assign('/');
  },
  onVisibilityChanged: (id, value) => {
    if (id === chat?.chatId) chat.visibility?.set(value);
  },
});

const visibility = visibilityRoot && !readOnly
  ? new VisibilitySelect(visibilityRoot, { chatId, onChange: (value) => sidebar.updateChat(chatId, { visibility: value }) })
  : null;

const composer = form
  ? new Composer({
      form,
      input: document.getElementById('composer-input'),
      sendButton: document.getElementById('send-button'),
      stopButton: document.getElementById('stop-button'),
      draftKey: isNew ? 'draft:new' : `draft:${chatId}`,
      onSend: (text, files) => chat.send(text, files),
      onStop: () => chat.stop(),
    })
  : null;

if (composer) {
  const attachments = new Attachments({
    list: document.getElementById('composer-attachments'),
    button: document.getElementById('attach-button'),
    input: document.getElementById('attach-input'),
    dropTarget: form,
    pasteTarget: composer.input,
    chatId: () => chat.chatId,
    onChange: () => composer.refreshButtons(),
  });
  composer.setAttachments(attachments);
  const follow = () => {
    const model = modelSelect?.models.find((m) => m.id === modelSelect.value);
    attachments.setCapabilities(model?.capabilities ?? {});
  };
  if (modelSelect) {
    modelSelect.onChange = follow;
    modelSelect.ready.then(follow);
  }
}

const scroller = document.getElementById('messages');
const scroll = new ScrollFollower(scroller, scroller.firstElementChild, document.getElementById('scroll-bottom'));

chat = new ChatController({
  chatId,
  isNew,
  readOnly,
  isGuest,
  listEl: document.getElementById('message-list'),
  noticesEl: document.getElementById('chat-notices'),
  greetingEl: document.getElementById('greeting'),
  scroll,
  sidebar,
  composer,
  modelSelect,
  visibility,
});

setupGreeting(document.getElementById('greeting'), (text) => chat.send(text));
// On a new chat, fetch the conversation code once the user shows intent, not on first paint.
composer?.input.addEventListener('focus', () => chat.prepare(), { once: true });
// For tests and debugging: `data-ready` says the page has wired itself up AND shown what the server
// had (the stored conversation, the first page of history), so a test reading the page right after
// it sees the stored state, not an empty list that is about to fill. Set even if a load failed: the
// failure is then on the page as a notice.
Promise.allSettled([chat.load(), sidebar.loadMore()]).then(() => {
  app.dataset.ready = 'true';
});
