// The sidebar: chat history grouped by age, loaded 20 at a time as you scroll, a menu per chat
// (share, delete), delete all, and collapse (Ctrl/Cmd+B on desktop, a sheet on phones).
import { api } from './api.js';
import { h } from './dom.js';
import { groupChats } from './history-groups.js';
import { icon } from './icons.js';
import { attachMenu } from './menu.js';
import { toast } from './notices.js';
import { load, save } from './storage.js';

const PAGE_SIZE = 20;

async function confirmDialog(options) {
  const dialog = await import('./dialog.js'); // only needed when deleting
  return dialog.confirmDialog(options);
}
const mobileQuery = window.matchMedia('(max-width: 767px)');

export class Sidebar {
  constructor({ app, activeChatId, onChatDeleted, onVisibilityChanged }) {
    this.app = app;
    this.activeChatId = activeChatId;
    this.onChatDeleted = onChatDeleted;
    this.onVisibilityChanged = onVisibilityChanged;
    this.chats = [];
    this.hasMore = true;
    this.loading = false;
    this.groupsEl = document.getElementById('history-groups');
    this.statusEl = document.getElementById('history-status');
    this.sentinel = document.getElementById('history-sentinel');
    this.toggleButton = document.getElementById('sidebar-toggle');
    this.backdrop = document.getElementById('sidebar-backdrop');
    this.sidebarEl = document.getElementById('sidebar');
    this.setupCollapse();
    document.getElementById('delete-all')?.addEventListener('click', () => this.deleteAll());
    new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) this.loadMore();
    }, { root: document.getElementById('history') }).observe(this.sentinel);
  }

  // MARK: collapse and mobile sheet

  setupCollapse() {
    const desktopOpen = load('sidebar', 'open') !== 'closed';
    this.setOpen(mobileQuery.matches ? false : desktopOpen, { remember: false });
    this.toggleButton?.addEventListener('click', () => this.toggle());
    this.backdrop?.addEventListener('click', () => this.setOpen(false));
    document.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'b') {
        event.preventDefault();
        this.toggle();
      } else if (event.key === 'Escape' && mobileQuery.matches && this.isOpen) {
        this.setOpen(false);
        this.toggleButton?.focus();
      }
    });
    mobileQuery.addEventListener('change', () => this.setOpen(mobileQuery.matches ? false : load('sidebar', 'open') !== 'closed', { remember: false }));
  }

  get isOpen() {
    return mobileQuery.matches ? this.app.classList.contains('sidebar-sheet-open') : document.documentElement.dataset.sidebar !== 'closed';
  }

  toggle() {
    this.setOpen(!this.isOpen);
    if (this.isOpen && mobileQuery.matches) this.sidebarEl.querySelector('a, button')?.focus();
  }

  setOpen(open, { remember = true } = {}) {
    const mobile = mobileQuery.matches;
    // Desktop state lives on <html> (theme-boot.js sets it before paint); the phone sheet on #app.
    if (!mobile) document.documentElement.dataset.sidebar = open ? 'open' : 'closed';
    this.app.classList.toggle('sidebar-sheet-open', mobile && open);
    this.backdrop.hidden = !(mobile && open);
    // A closed sidebar must not be reachable by Tab.
    this.sidebarEl.inert = !open;
    this.toggleButton?.setAttribute('aria-expanded', String(open));
    if (remember && !mobile) save('sidebar', open ? null : 'closed');
  }

  // MARK: history

  async loadMore() {
    if (this.loading || !this.hasMore) return;
    this.loading = true;
    this.setStatus(this.chats.length ? 'Loading more…' : 'Loading chats…');
    const last = this.chats[this.chats.length - 1];
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (last) query.set('ending_before', last.id);
    try {
      const page = await api(`/api/history?${query}`, { quiet401: true });
      const known = new Set(this.chats.map((chat) => chat.id));
      this.chats.push(...page.chats.filter((chat) => !known.has(chat.id)));
      this.hasMore = Boolean(page.hasMore) && page.chats.length > 0;
      this.render();
    } catch (error) {
      this.setStatus(error.status === 401 ? 'Start a chat to keep your own history here.' : `Could not load your chats. ${error.message}`);
      if (error.status === 401) this.hasMore = false;
      this.loading = false;
      return;
    }
    this.loading = false;
    // Keep filling while the sentinel is still visible (tall screens).
    if (this.hasMore) requestAnimationFrame(() => this.sentinelVisible() && this.loadMore());
  }

  sentinelVisible() {
    const box = this.sentinel.getBoundingClientRect();
    const list = document.getElementById('history').getBoundingClientRect();
    return box.top < list.bottom + 50;
  }

  setStatus(text) {
    this.statusEl.textContent = text;
    this.statusEl.hidden = !text;
  }

  render() {
    const groups = groupChats(this.chats);
    this.groupsEl.replaceChildren(
      ...groups.map(([name, chats]) =>
        h('section', { class: 'history-group', 'aria-label': name }, h('h2', { class: 'history-group-title', text: name }), h('ul', { class: 'history-list' }, chats.map((chat) => this.renderItem(chat)))),
      ),
    );
    if (this.chats.length === 0 && !this.hasMore) this.setStatus('Your conversations will appear here once you start chatting!');
    else this.setStatus(this.hasMore ? '' : '');
    document.getElementById('delete-all').hidden = this.chats.length === 0;
  }

  renderItem(chat) {
    const active = chat.id === this.activeChatId;
    const link = h(
      'a',
      { class: 'history-link', href: `/chat/${encodeURIComponent(chat.id)}`, 'aria-current': active ? 'page' : null, title: chat.title || 'New chat' },
      chat.visibility === 'public' ? icon('globe', 'history-public') : null,
      h('span', { class: 'history-title', text: chat.title || 'New chat' }),
    );
    const menuButton = h('button', { type: 'button', class: 'icon-button history-menu-button', 'aria-label': `More options for ${chat.title || 'chat'}` }, icon('more'));
    attachMenu(menuButton, () => this.chatMenu(chat), { align: 'start', label: 'Chat options' });
    return h('li', { class: `history-item${active ? ' active' : ''}`, dataset: { chatId: chat.id } }, link, menuButton);
  }

  chatMenu(chat) {
    return [
      { heading: 'Share' },
      { label: 'Private', icon: 'lock', checked: chat.visibility !== 'public', id: 'visibility-private', onSelect: () => this.changeVisibility(chat.id, 'private') },
      { label: 'Public', icon: 'globe', checked: chat.visibility === 'public', id: 'visibility-public', onSelect: () => this.changeVisibility(chat.id, 'public') },
      { separator: true },
      { label: 'Delete', icon: 'trash', danger: true, id: 'delete', onSelect: () => this.deleteChat(chat) },
    ];
  }

  // MARK: changes from here and from the chat view

  addChat(chat) {
    if (this.chats.some((existing) => existing.id === chat.id)) return;
    this.chats.unshift(chat);
    this.render();
  }

  updateChat(id, changes) {
    const chat = this.chats.find((existing) => existing.id === id);
    if (!chat) return;
    Object.assign(chat, changes);
    this.render();
  }

  /** Re-reads the newest chats, for a title that arrived without a data-chat-title part. */
  async refreshNewest() {
    try {
      const page = await api(`/api/history?limit=${PAGE_SIZE}`);
      for (const chat of page.chats) {
        const known = this.chats.find((existing) => existing.id === chat.id);
        if (known) Object.assign(known, chat);
        else this.chats.unshift(chat);
      }
      this.chats.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
      this.render();
    } catch {
      // The sidebar keeps what it had.
    }
  }

  titleOf(id) {
    return this.chats.find((chat) => chat.id === id)?.title;
  }

  async changeVisibility(id, visibility) {
    try {
      await api(`/api/chat/${encodeURIComponent(id)}/visibility`, { method: 'PATCH', body: { visibility } });
      this.updateChat(id, { visibility });
      this.onVisibilityChanged?.(id, visibility);
      toast(visibility === 'public' ? 'Chat is now public: anyone with the link can read it.' : 'Chat is now private.');
    } catch (error) {
      toast(error.message, 'error');
    }
  }

  async deleteChat(chat) {
    const confirmed = await confirmDialog({
      title: 'Delete this chat?',
      message: `"${chat.title || 'New chat'}" and all its messages will be permanently deleted. This cannot be undone.`,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api(`/api/chat?id=${encodeURIComponent(chat.id)}`, { method: 'DELETE' });
    } catch (error) {
      toast(error.message, 'error');
      return;
    }
    this.chats = this.chats.filter((existing) => existing.id !== chat.id);
    this.render();
    toast('Chat deleted.');
    this.onChatDeleted?.(chat.id);
  }

  async deleteAll() {
    const confirmed = await confirmDialog({
      title: 'Delete all chats?',
      message: 'All your chats and their messages will be permanently deleted. This cannot be undone.',
      confirmLabel: 'Delete all',
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api('/api/history', { method: 'DELETE' });
    } catch (error) {
      toast(error.message, 'error');
      return;
    }
    const hadActive = this.chats.some((chat) => chat.id === this.activeChatId);
    this.chats = [];
    this.hasMore = false;
    this.render();
    toast('All chats deleted.');
    if (hadActive) this.onChatDeleted?.(this.activeChatId);
  }
}
