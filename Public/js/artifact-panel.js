// The artifact panel: one document beside the conversation (the whole screen on a phone). It shows
// a document while the model writes it, and any stored document opened from its card: versions,
// changes between them, restore, the user's edits saved as new versions after a pause, and the
// model's suggestions with Apply.
import { fetchSuggestions, fetchVersions, restoreVersion, saveVersion } from './artifact-data.js';
import { followDataPart, followToolPart } from './artifact-stream.js';
import { CodeEditor, SheetEditor, TextEditor } from './artifact-editors.js';
import { copyText } from './clipboard.js';
import { createChrome, renderChrome } from './artifact-chrome.js';
import { renderDiff } from './diff.js';
import { h } from './dom.js';
import { toast } from './notices.js';
import { SuggestionList } from './artifact-suggestions.js';

export { loadArtifactStyles } from './tool-view.js';

const SAVE_DELAY_MS = 1500;
const PHONE = window.matchMedia('(max-width: 767px)');
const EDITORS = { text: TextEditor, code: CodeEditor, sheet: SheetEditor };

export class ArtifactPanel {
  constructor({ readOnly = false, host = document.getElementById('app') } = {}) {
    this.readOnly = readOnly;
    this.host = host;
    this.stream = {};
    this.versions = [];
    this.index = -1;
    this.draft = null;
    this.diff = false;
    this.suggestions = new SuggestionList({ onApply: (s) => this.applySuggestion(s) });
    this.chrome = createChrome({
      close: () => this.close(),
      previous: () => this.showVersion(this.index - 1),
      next: () => this.showVersion(this.index + 1),
      diff: () => this.toggleDiff(),
      copy: () => this.copy(),
      restore: () => this.restore(),
      latest: () => this.showVersion(this.versions.length - 1),
    });
    this.bodyEl = this.chrome.body;
    this.statusEl = this.chrome.status;
    this.el = this.chrome.panel;
    this.el.append(this.suggestions.el);
    this.el.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        this.close();
      }
    });
    this.host.append(this.el);
    PHONE.addEventListener('change', () => this.updateInert());
  }

  get isOpen() {
    return !this.el.hidden;
  }

  // MARK: opening and closing

  /** Opens a stored document (from a card); `opener` gets focus back on close. */
  async open({ id, title, kind }, opener = null) {
    if (!id) return;
    this.opener = opener;
    const same = this.doc?.id === id;
    if (!same) this.reset({ id, title: title ?? '', kind: kind ?? 'text' });
    this.show();
    this.el.focus();
    if (this.stream.status === 'streaming' && this.stream.id === id) return;
    if (!same || this.versions.length === 0) await this.reload();
  }

  reset(doc) {
    this.flushSave();
    this.doc = doc;
    this.versions = [];
    this.index = -1;
    this.draft = null;
    this.diff = false;
    this.loadError = null;
    this.suggestions.set([]);
    this.editor = null;
    this.render();
  }

  show() {
    if (this.el.hidden) {
      this.el.hidden = false;
      this.host.classList.add('artifact-open');
      this.updateInert();
    }
  }

  /** On a phone the panel covers the page: what is under it must not take focus or be read out. */
  updateInert() {
    const covered = !this.el.hidden && PHONE.matches;
    for (const child of this.host.children) if (child !== this.el) child.inert = covered;
    this.el.setAttribute('aria-modal', String(covered));
  }

  close() {
    if (this.el.hidden) return;
    this.flushSave();
    this.el.hidden = true;
    this.host.classList.remove('artifact-open');
    this.updateInert();
    const back = this.opener?.isConnected ? this.opener : document.getElementById('composer-input');
    back?.focus();
  }

  // MARK: the answer stream (artifact-stream.js)

  onDataPart(chunk) {
    followDataPart(this, chunk);
  }

  onToolPart(part) {
    followToolPart(this, part);
  }

  /** The answer ended (finished, stopped or failed): a document still marked as streaming is done. */
  onRunEnded() {
    if (this.stream.status !== 'streaming') return;
    this.stream.status = 'idle';
    if (this.doc?.id === this.stream.id) this.reload();
  }

  get streaming() {
    return this.stream.status === 'streaming' && this.stream.id === this.doc?.id;
  }

  // MARK: versions

  async reload({ keepIndex = false } = {}) {
    const id = this.doc.id;
    this.setState('loading');
    try {
      const versions = await fetchVersions(id);
      if (this.doc?.id !== id) return;
      this.versions = Array.isArray(versions) ? versions : [];
      this.loadError = null;
    } catch (error) {
      if (this.doc?.id !== id) return;
      this.loadError = error.message;
    }
    if (!keepIndex || this.index >= this.versions.length) this.index = this.versions.length - 1;
    const latest = this.versions[this.versions.length - 1];
    if (latest) Object.assign(this.doc, { title: latest.title, kind: latest.kind });
    if (this.draft !== null && this.draft === latest?.content) this.draft = null;
    this.render();
    this.loadSuggestions();
  }

  async loadSuggestions() {
    const id = this.doc.id;
    try {
      const list = await fetchSuggestions(id);
      if (this.doc?.id === id) this.suggestions.set(Array.isArray(list) ? list : [], this.currentContent());
    } catch {
      // Suggestions are extras: the document works without them.
    }
    this.syncMarks();
  }

  showVersion(index) {
    if (index < 0 || index >= this.versions.length || this.streaming) return;
    this.flushSave();
    this.index = index;
    this.render();
  }

  get isLatest() {
    return this.index === this.versions.length - 1;
  }

  currentContent() {
    if (this.streaming) return this.stream.content ?? '';
    if (this.isLatest && this.draft !== null) return this.draft;
    return this.versions[this.index]?.content ?? '';
  }

  toggleDiff() {
    this.diff = !this.diff;
    this.render();
  }

  async restore() {
    const version = this.versions[this.index];
    if (!version || this.isLatest) return;
    this.setSave('saving', 'Restoring…');
    try {
      await restoreVersion(this.doc.id, version.createdAt);
      this.draft = null;
      this.diff = false;
      await this.reload();
      this.setSave('saved', 'Restored this version.');
      toast('Version restored.');
    } catch (error) {
      this.setSave('error', error.message);
    }
  }

  // MARK: editing

  get editable() {
    return !this.readOnly && !this.streaming && this.isLatest && this.versions.length > 0 && !this.diff;
  }

  onEdit(content) {
    if (!this.editable) return;
    this.draft = content;
    this.suggestions.refresh(content);
    this.setSave('pending', 'Unsaved changes');
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  flushSave() {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      this.save();
    }
  }

  async save() {
    this.saveTimer = null;
    const doc = this.doc;
    const content = this.draft;
    if (!doc || content === null || content === this.versions[this.versions.length - 1]?.content) return;
    if (this.saving) {
      this.saveAgain = true;
      return;
    }
    this.saving = true;
    this.setSave('saving', 'Saving…');
    try {
      await saveVersion(doc.id, { title: doc.title, kind: doc.kind, content });
      if (this.doc === doc) {
        await this.reload();
        this.setSave(this.draft === null ? 'saved' : 'pending', this.draft === null ? 'Saved as a new version.' : 'Unsaved changes');
      }
    } catch (error) {
      if (this.doc === doc) this.setSave('error', `Not saved: ${error.message}`);
    } finally {
      this.saving = false;
      if (this.saveAgain) {
        this.saveAgain = false;
        this.save();
      }
    }
  }

  applySuggestion(suggestion) {
    const content = this.currentContent();
    if (!this.editable || !content.includes(suggestion.originalText)) {
      toast('This suggestion no longer matches the document.', 'error');
      return;
    }
    this.draft = content.replace(suggestion.originalText, () => suggestion.suggestedText);
    this.suggestions.remove(suggestion.id);
    this.render();
    this.save();
  }

  async copy() {
    const sheet = this.doc?.kind === 'sheet';
    const ok = await copyText(this.editor?.value ?? this.currentContent());
    toast(ok ? (sheet ? 'Copied as CSV.' : 'Copied to clipboard.') : 'Could not copy. Select the text and copy it by hand.', ok ? 'info' : 'error');
  }

  // MARK: rendering

  setState(state) {
    this.el.dataset.state = state;
  }

  setSave(state, text) {
    this.el.dataset.save = state;
    this.statusEl.textContent = text;
  }

  render() {
    const doc = this.doc;
    if (!doc) return;
    const focused = this.el.contains(document.activeElement) ? document.activeElement : null;
    Object.assign(this.el.dataset, { documentId: doc.id, kind: doc.kind, versionIndex: String(this.index), versionCount: String(this.versions.length) });
    this.setState(this.streaming ? 'streaming' : this.loadError ? 'error' : 'ready');
    if (this.streaming) this.setSave('streaming', 'Writing…');
    const canDiff = doc.kind !== 'sheet' && this.index > 0 && !this.streaming;
    if (!canDiff) this.diff = false;
    renderChrome(this.chrome, {
      doc, canDiff, diff: this.diff, streaming: this.streaming, loadError: this.loadError, index: this.index, count: this.versions.length,
      isLatest: this.isLatest, readOnly: this.readOnly, savedAt: this.versions[this.index]?.createdAt,
    });
    if (this.diff) {
      this.editor = null;
      this.bodyEl.replaceChildren(renderDiff(this.versions[this.index - 1]?.content ?? '', this.versions[this.index]?.content ?? ''));
    } else {
      if (!this.editor || this.editorKind !== doc.kind) {
        this.editorKind = doc.kind;
        this.editor = new (EDITORS[doc.kind] ?? TextEditor)({ onInput: (content) => this.onEdit(content), onMarkClick: (id) => this.suggestions.focus(id) });
      }
      if (this.editor.el.parentNode !== this.bodyEl) this.bodyEl.replaceChildren(this.editor.el);
      // While the model writes, keep the newest text in view unless the reader scrolled up.
      const body = this.bodyEl;
      const follow = this.streaming && body.scrollHeight - body.scrollTop - body.clientHeight < 48;
      queueMicrotask(() => follow && (body.scrollTop = body.scrollHeight));
      this.editor.show(this.currentContent(), { editable: this.editable, streaming: this.streaming, title: doc.title });
    }
    this.suggestions.setEnabled(this.editable);
    this.suggestions.setVersion(this.streaming ? null : this.versions[this.index]?.createdAt);
    this.suggestions.refresh(this.currentContent());
    this.syncMarks();
    // A control that just hid itself (Restore, Latest version, a disabled arrow) hands focus to the panel, not to the page.
    if (focused && (!focused.isConnected || !focused.checkVisibility() || focused.disabled)) this.el.focus();
  }

  syncMarks() {
    if (this.editor instanceof TextEditor) this.editor.setMarks(this.editable ? this.suggestions.visible() : []);
  }
}
