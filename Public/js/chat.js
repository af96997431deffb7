// The conversation: loads stored messages, sends, streams answers in, stops, edits, regenerates,
// votes, and resumes a running answer after a reload or a dropped connection.
import { api, handleUnauthorized, offlineError, toApiError } from './api.js';
import { h, loadStylesheet } from './dom.js';
import { icon } from './icons.js';
import { clearNotices, showErrorNotice, toast } from './notices.js';
import { uuid } from './uuid.js';

// Loaded on demand (see conversation.js): rendering, streaming and Markdown.
let kit = null;

export class ChatController {
  constructor({ chatId, isNew, readOnly, isGuest, listEl, noticesEl, greetingEl, scroll, sidebar, composer, modelSelect, visibility }) {
    Object.assign(this, { chatId, isNew, readOnly, isGuest, listEl, noticesEl, greetingEl, scroll, sidebar, composer, modelSelect, visibility });
    this.messages = [];
    this.views = new Map();
    this.votes = new Map();
    this.status = 'ready'; // ready | submitted | streaming
    this.lastEventId = null;
    this.thinkingEl = h('div', { class: 'message message-assistant thinking', 'aria-label': 'Chatbot is thinking' }, h('div', { class: 'avatar avatar-assistant', 'aria-hidden': 'true' }, icon('sparkles')), h('div', { class: 'thinking-dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')));
    this.handlers = {
      onCopy: (message) => this.copy(message),
      onEdit: (message, text) => this.edit(message.id, text),
      onVote: (message, type) => this.vote(message.id, type),
      onRegenerate: () => this.regenerate(),
      onOpenDocument: (doc, opener) => this.artifacts().then((panel) => panel.open(doc, opener)),
    };
    this.pendingRender = new Set();
    window.addEventListener('online', () => {
      if (this.connectionLost) this.resume();
    });
  }

  get busy() {
    return this.status !== 'ready';
  }

  // MARK: loading

  /** Fetches the conversation modules and the Markdown library; cheap to call again. */
  async prepare() {
    if (!kit) {
      // The conversation's styles come with its code: no message is ever shown unstyled.
      [kit] = await Promise.all([import('./conversation.js'), loadStylesheet('/public/css/conversation.css')]);
      kit.onMarkdownReady(() => this.views.forEach((view) => view.refresh()));
    }
    kit.loadMarkdown();
    return kit;
  }

  async load() {
    if (this.isNew) return;
    await this.prepare();
    let data;
    try {
      data = await api(`/api/chat/${encodeURIComponent(this.chatId)}/messages`);
    } catch (error) {
      showErrorNotice(this.noticesEl, error, { isGuest: this.isGuest, title: 'Could not load this chat' });
      return;
    }
    this.applyChatInfo(data.chat);
    this.messages = data.messages ?? [];
    this.renderAll();
    this.scroll.scrollToBottom();
    if (!this.readOnly) this.loadVotes();
    if (data.activeRun) this.resume({ fromScratch: true });
  }

  applyChatInfo(chat) {
    if (!chat) return;
    if (chat.isOwner === false) this.readOnly = true;
    this.visibility?.set(chat.visibility, { exists: true });
    if (chat.title) this.setTitle(chat.title);
  }

  async loadVotes() {
    try {
      const votes = await api(`/api/vote?chatId=${encodeURIComponent(this.chatId)}`, { quiet401: true });
      for (const vote of votes ?? []) this.votes.set(vote.messageId, vote.isUpvoted ? 'up' : 'down');
      this.renderAll();
    } catch {
      // Votes are optional decoration; the chat works without them.
    }
  }

  async reloadMessages() {
    try {
      const data = await api(`/api/chat/${encodeURIComponent(this.chatId)}/messages`);
      this.messages = data.messages ?? [];
      this.renderAll();
      return data;
    } catch {
      return null;
    }
  }

  // MARK: rendering

  contextFor(message, index) {
    const lastAssistant = this.messages.findLastIndex((m) => m.role === 'assistant');
    return { readOnly: this.readOnly, busy: this.busy, isLast: index === lastAssistant && index === this.messages.length - 1, vote: this.votes.get(message.id) };
  }

  renderAll() {
    if (!kit) {
      if (this.greetingEl) this.greetingEl.hidden = this.messages.length > 0 || this.busy;
      return;
    }
    const keep = new Set(this.messages.map((m) => m.id));
    for (const [id, view] of this.views) {
      if (!keep.has(id) || view.message !== this.messages.find((m) => m.id === id)) {
        view.el.remove();
        this.views.delete(id);
      }
    }
    const nodes = this.messages.map((message, index) => {
      let view = this.views.get(message.id);
      if (!view) {
        view = new kit.MessageView(message, this.handlers);
        this.views.set(message.id, view);
      }
      view.update(this.contextFor(message, index));
      return view.el;
    });
    const last = this.messages[this.messages.length - 1];
    if (this.status === 'submitted' || (this.status === 'streaming' && last?.role === 'user')) nodes.push(this.thinkingEl);
    // Reorder only when needed so focus and selection survive updates.
    const current = [...this.listEl.children];
    if (current.length !== nodes.length || current.some((node, i) => node !== nodes[i])) this.listEl.replaceChildren(...nodes);
    if (this.greetingEl) this.greetingEl.hidden = this.messages.length > 0 || this.busy;
  }

  /** Coalesces streaming updates to one render per frame. */
  scheduleRender(message) {
    this.pendingRender.add(message.id);
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.pendingRender.clear();
      this.renderAll();
    });
  }

  setStatus(status) {
    this.status = status;
    this.composer?.setBusy(status !== 'ready');
    this.renderAll();
  }

  setTitle(title) {
    document.title = `${title} - Chatbot`;
    const heading = document.getElementById('chat-heading');
    if (heading) heading.textContent = title;
    this.sidebar?.updateChat(this.chatId, { title });
  }

  // MARK: sending

  async send(text, files = []) {
    if (this.busy || this.readOnly) return;
    const message = { id: uuid(), role: 'user', parts: [{ type: 'text', text }, ...files], createdAt: new Date().toISOString() };
    this.messages.push(message);
    const wasNew = this.isNew;
    const rollback = () => {
      this.messages = this.messages.filter((m) => m !== message);
      this.composer?.restore(text, files);
    };
    this.scroll.scrollToBottom();
    await this.startRun(
      { id: this.chatId, message, selectedChatModel: this.modelSelect?.value, selectedVisibilityType: this.visibility?.value ?? 'private' },
      {
        rollback,
        accepted: () => {
          if (!wasNew) return;
          this.isNew = false;
          window.history.replaceState({}, '', `/chat/${this.chatId}`);
          this.composer?.setDraftKey(`draft:${this.chatId}`);
          this.visibility?.set(this.visibility.value, { exists: true });
          if (this.sidebar) this.sidebar.activeChatId = this.chatId;
          this.sidebar?.addChat({ id: this.chatId, title: 'New chat', createdAt: new Date().toISOString(), visibility: this.visibility?.value ?? 'private' });
        },
      },
    );
  }

  async edit(messageId, text) {
    if (this.busy) return;
    const index = this.messages.findIndex((m) => m.id === messageId);
    if (index === -1) return;
    const removed = this.messages.slice(index);
    const files = this.messages[index].parts.filter((part) => part.type === 'file');
    const message = { ...this.messages[index], parts: [{ type: 'text', text }, ...files] };
    this.messages = [...this.messages.slice(0, index), message];
    this.views.get(messageId)?.el.remove();
    this.views.delete(messageId);
    await this.startRun(
      { id: this.chatId, message: { id: message.id, role: 'user', parts: message.parts }, selectedChatModel: this.modelSelect?.value, selectedVisibilityType: this.visibility?.value ?? 'private' },
      { rollback: () => (this.messages = [...this.messages.slice(0, index), ...removed]) },
    );
  }

  async regenerate() {
    if (this.busy) return;
    const last = this.messages[this.messages.length - 1];
    if (last?.role !== 'assistant') return;
    this.messages = this.messages.slice(0, -1);
    await this.startRun(
      { id: this.chatId, trigger: 'regenerate-message', selectedChatModel: this.modelSelect?.value },
      { rollback: () => this.messages.push(last) },
    );
  }

  /** POSTs a run and streams its answer. `rollback` undoes the optimistic change if the server refuses. */
  async startRun(body, { rollback, accepted } = {}) {
    clearNotices(this.noticesEl);
    this.userStopped = false;
    this.finished = false;
    this.lastEventId = null;
    this.setStatus('submitted'); // busy at once, so a second Enter cannot send twice
    await this.prepare();
    const controller = new AbortController();
    this.controller = controller;
    let response;
    try {
      response = await fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify(body), signal: controller.signal });
    } catch (error) {
      rollback?.();
      if (error.name !== 'AbortError') showErrorNotice(this.noticesEl, offlineError(), { isGuest: this.isGuest });
      this.setStatus('ready');
      return;
    }
    if (!response.ok) {
      const error = await toApiError(response);
      rollback?.();
      this.setStatus('ready');
      if (response.status === 401) handleUnauthorized();
      showErrorNotice(this.noticesEl, error, { isGuest: this.isGuest });
      return;
    }
    accepted?.();
    // A stream that ends without finishing (a dropped connection, a proxy's time limit) is resumed.
    if (!(await kit.consumeAnswer(this, response, controller))) await this.resume();
  }

  /** The artifact panel, loaded on first use; one per page. */
  artifacts() {
    this.artifactPanel ??= import('./artifact-panel.js').then(async ({ ArtifactPanel, loadArtifactStyles }) => {
      await loadArtifactStyles();
      return new ArtifactPanel({ readOnly: this.readOnly });
    });
    return this.artifactPanel;
  }

  currentAssistant() {
    const last = this.messages[this.messages.length - 1];
    return last?.role === 'assistant' && last.metadata?.status === 'streaming' ? last : null;
  }

  startAssistant(messageId) {
    // A replay from the start rebuilds the answer the messages API already showed in part.
    const last = this.messages[this.messages.length - 1];
    if (last?.role === 'assistant' && (last.id === messageId || (this.replaying && last.metadata?.status === 'streaming'))) this.messages.pop();
    this.replaying = false;
    const message = kit.newAssistantMessage(messageId ?? uuid(), this.modelSelect?.value);
    this.messages.push(message);
    this.renderAll();
  }

  endRun() {
    const message = this.currentAssistant();
    if (message) {
      message.metadata.status = this.userStopped ? 'stopped' : 'complete';
      for (const part of message.parts) if (part.state === 'streaming') part.state = 'done';
    }
    this.connectionLost = false;
    this.controller = null;
    this.setStatus('ready');
    this.artifactPanel?.then((panel) => panel.onRunEnded());
    // The title normally arrives on the stream; if it did not, ask the history for it.
    if (this.sidebar && this.sidebar.titleOf(this.chatId) === 'New chat') this.sidebar.refreshNewest();
  }

  /** Reattaches to a running answer (answer-stream.js): after a reload, or a dropped connection. */
  async resume(options) {
    if (this.resuming) return;
    await this.prepare();
    await kit.resumeAnswer(this, options);
  }

  async stop() {
    if (!this.busy) return;
    this.userStopped = true;
    const controller = this.controller;
    try {
      await api(`/api/chat/${encodeURIComponent(this.chatId)}/stop`, { method: 'POST' });
    } catch {
      controller?.abort();
    }
    // The server ends the stream with "abort"; if it does not within a few seconds, stop listening.
    setTimeout(() => {
      if (this.controller === controller && this.busy) controller?.abort();
    }, 4000);
  }

  // MARK: message actions

  async copy(message) {
    const ok = await kit.copyText(kit.textOf(message));
    toast(ok ? 'Copied to clipboard.' : 'Could not copy. Select the text and copy it by hand.', ok ? 'info' : 'error');
  }

  async vote(messageId, type) {
    const previous = this.votes.get(messageId);
    this.votes.set(messageId, type);
    this.renderAll();
    try {
      await api('/api/vote', { method: 'PATCH', body: { chatId: this.chatId, messageId, type } });
      toast(type === 'up' ? 'Thanks for the feedback: upvoted.' : 'Thanks for the feedback: downvoted.');
    } catch (error) {
      if (previous) this.votes.set(messageId, previous);
      else this.votes.delete(messageId);
      this.renderAll();
      toast(error.message, 'error');
    }
  }
}
