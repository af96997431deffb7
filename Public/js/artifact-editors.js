// The three document editors of the artifact panel. Each has `el`, `show(content, {editable,
// streaming})`, `value` and calls `onInput(content)` when the user changes it. Text only ever goes
// into the page as text nodes, textarea values or the escaping Markdown renderer.
import { columnName, parseCSV, toCSV } from './csv.js';
import { highlight, highlighterReady, languageFor, loadHighlighter } from './code-highlight.js';
import { h } from './dom.js';
import { renderMarkdown } from './markdown.js';

/** Markdown: a preview (the default) and an editing tab; suggestions are marked in the preview. */
export class TextEditor {
  constructor({ onInput, onMarkClick }) {
    this.mode = 'preview';
    this.marks = [];
    this.onMarkClick = onMarkClick;
    this.previewTab = h('button', { type: 'button', role: 'tab', class: 'artifact-tab', dataset: { mode: 'preview' }, text: 'Preview', onclick: () => this.setMode('preview') });
    this.editTab = h('button', { type: 'button', role: 'tab', class: 'artifact-tab', dataset: { mode: 'edit' }, text: 'Edit', onclick: () => this.setMode('edit') });
    this.tabs = h('div', { class: 'artifact-tabs', role: 'tablist', 'aria-label': 'Document view' }, this.previewTab, this.editTab);
    // The tab pattern: arrow keys move between the tabs, Tab moves into the panel.
    this.tabs.addEventListener('keydown', (event) => {
      if ((event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') || this.editTab.hidden) return;
      event.preventDefault();
      const next = this.mode === 'preview' ? 'edit' : 'preview';
      this.setMode(next, { focusTab: true });
    });
    this.preview = h('div', { class: 'markdown artifact-preview', role: 'tabpanel', tabindex: '0', 'aria-label': 'Document preview' });
    this.area = h('textarea', { class: 'artifact-textarea', role: 'tabpanel', 'aria-label': 'Document text (Markdown)', spellcheck: 'true' });
    this.area.addEventListener('input', () => onInput(this.area.value));
    this.el = h('div', { class: 'artifact-editor artifact-editor-text' }, this.tabs, this.preview, this.area);
    this.setMode('preview');
  }

  setMode(mode, { focusTab = false } = {}) {
    this.mode = mode;
    for (const tab of [this.previewTab, this.editTab]) {
      tab.setAttribute('aria-selected', String(tab.dataset.mode === mode));
      tab.tabIndex = tab.dataset.mode === mode ? 0 : -1;
    }
    this.preview.hidden = mode !== 'preview';
    this.area.hidden = mode !== 'edit';
    if (mode === 'preview') this.renderPreview();
    if (focusTab) (mode === 'preview' ? this.previewTab : this.editTab).focus();
    else if (mode === 'edit') this.area.focus();
  }

  show(content, { editable, streaming = false }) {
    this.editTab.hidden = !editable;
    if (!editable && this.mode === 'edit') this.setMode('preview');
    this.area.readOnly = !editable;
    if (this.area.value !== content) this.area.value = content;
    this.content = content;
    this.preview.setAttribute('aria-busy', String(streaming));
    if (this.mode === 'preview') this.renderPreview();
  }

  get value() {
    return this.area.value;
  }

  /** suggestions: [{id, originalText}]; each found in the preview's text is wrapped in a <mark>. */
  setMarks(suggestions) {
    this.marks = suggestions;
    if (this.mode === 'preview') this.renderPreview();
  }

  renderPreview() {
    this.preview.replaceChildren(renderMarkdown(this.content ?? ''));
    for (const suggestion of this.marks) markText(this.preview, suggestion, this.onMarkClick);
  }
}

function markText(root, suggestion, onClick) {
  const needle = suggestion.originalText;
  if (!needle) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at === -1) continue;
    const match = node.splitText(at);
    match.splitText(needle.length);
    const mark = h('mark', { class: 'suggestion-mark', dataset: { suggestionId: suggestion.id }, title: 'Has a suggestion' });
    match.replaceWith(mark);
    mark.append(match);
    mark.addEventListener('click', () => onClick?.(suggestion.id));
    return;
  }
}

/** Code: a textarea over its highlighted copy, with line numbers. Without highlight.js, plain text. */
export class CodeEditor {
  constructor({ onInput }) {
    this.gutter = h('div', { class: 'code-gutter', 'aria-hidden': 'true' });
    this.highlighted = h('code', { class: 'hljs' });
    this.mirror = h('pre', { class: 'code-mirror', 'aria-hidden': 'true' }, this.highlighted);
    this.area = h('textarea', { class: 'code-input', wrap: 'off', spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', 'aria-label': 'Code', 'aria-multiline': 'true' });
    this.area.addEventListener('input', () => {
      this.layout();
      this.scheduleHighlight();
      onInput(this.area.value);
    });
    this.languageEl = h('span', { class: 'code-language' });
    this.el = h('div', { class: 'artifact-editor artifact-editor-code' },
      h('div', { class: 'code-scroll', dataset: { highlighter: 'loading' } }, this.gutter, h('div', { class: 'code-stack' }, this.mirror, this.area)),
      h('div', { class: 'code-status' }, this.languageEl));
    this.scroll = this.el.firstChild;
    loadHighlighter().then(() => {
      this.scroll.dataset.highlighter = highlighterReady() ? 'highlight.js' : 'none';
      this.renderHighlight();
    });
  }

  show(content, { editable, title }) {
    this.language = languageFor(title);
    this.area.readOnly = !editable;
    if (this.area.value !== content) this.area.value = content;
    this.layout();
    this.renderHighlight();
  }

  get value() {
    return this.area.value;
  }

  layout() {
    const lines = this.area.value.split('\n');
    const width = Math.max(20, ...lines.map((line) => line.length + (line.match(/\t/g)?.length ?? 0) * 3));
    this.area.rows = lines.length;
    this.area.cols = width + 2;
    const numbers = lines.map((_, i) => String(i + 1)).join('\n');
    if (this.gutter.textContent !== numbers) this.gutter.textContent = numbers;
  }

  scheduleHighlight() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.renderHighlight();
    });
  }

  renderHighlight() {
    // A trailing newline needs a character after it, or the mirror is one line shorter than the textarea.
    const code = this.area.value;
    const { fragment, language } = highlight(code, this.language);
    this.highlighted.replaceChildren(fragment, '\n');
    this.languageEl.textContent = language ?? (highlighterReady() ? '' : 'Plain text');
  }
}

/** Sheets: an editable grid of cells, one extra empty row and column to grow into. */
export class SheetEditor {
  constructor({ onInput }) {
    this.onInput = onInput;
    this.rows = [];
    this.table = h('table', { class: 'sheet-grid', 'aria-label': 'Spreadsheet' });
    this.el = h('div', { class: 'artifact-editor artifact-editor-sheet' }, h('div', { class: 'sheet-scroll', tabindex: '-1' }, this.table));
    this.table.addEventListener('input', (event) => this.cellChanged(event.target));
    this.table.addEventListener('keydown', (event) => this.navigate(event));
  }

  show(content, { editable }) {
    this.editable = editable;
    if (this.lastContent === content && this.lastEditable === editable) return;
    this.lastContent = content;
    this.lastEditable = editable;
    this.rows = parseCSV(content);
    this.render();
  }

  get value() {
    return toCSV(this.rows);
  }

  render() {
    const focused = this.table.contains(document.activeElement) ? document.activeElement.dataset : null;
    const height = this.rows.length + (this.editable ? 1 : 0);
    const width = Math.max(1, ...this.rows.map((row) => row.length)) + (this.editable ? 1 : 0);
    const head = h('thead', {}, h('tr', {}, h('th', { class: 'sheet-corner', 'aria-hidden': 'true' }), Array.from({ length: width }, (_, c) => h('th', { scope: 'col', text: columnName(c) }))));
    const body = h('tbody');
    for (let r = 0; r < height; r++) {
      const cells = Array.from({ length: width }, (_, c) => {
        // A textarea, not an input: a cell may hold line breaks (quoted in the CSV), which an input would drop.
        const value = this.rows[r]?.[c] ?? '';
        const input = h('textarea', { class: 'sheet-cell', rows: String(lineCount(value)), spellcheck: 'false', 'aria-label': `${columnName(c)}${r + 1}`, dataset: { row: String(r), col: String(c) } });
        input.value = value;
        input.readOnly = !this.editable;
        return h('td', {}, input);
      });
      body.append(h('tr', {}, h('th', { scope: 'row', text: String(r + 1) }), cells));
    }
    this.table.replaceChildren(head, body);
    if (focused) this.cell(Number(focused.row), Number(focused.col))?.focus();
  }

  cell(row, col) {
    return this.table.querySelector(`.sheet-cell[data-row="${row}"][data-col="${col}"]`);
  }

  cellChanged(input) {
    const row = Number(input.dataset.row);
    const col = Number(input.dataset.col);
    while (this.rows.length <= row) this.rows.push([]);
    while (this.rows[row].length <= col) this.rows[row].push('');
    this.rows[row][col] = input.value;
    input.rows = lineCount(input.value);
    const value = this.value;
    this.lastContent = value;
    // Typing into the spare row or column adds another spare one.
    const grows = row === this.table.tBodies[0].rows.length - 1 || col === this.table.tHead.rows[0].cells.length - 2;
    if (grows) {
      const caret = input.selectionStart;
      this.render();
      const again = this.cell(row, col);
      again?.focus();
      again?.setSelectionRange(caret, caret);
    }
    this.onInput(value);
  }

  navigate(event) {
    const input = event.target;
    if (!input.classList?.contains('sheet-cell')) return;
    const row = Number(input.dataset.row);
    const col = Number(input.dataset.col);
    if (event.key === 'Enter' && event.altKey) {
      // Alt+Enter starts a new line inside the cell, as in spreadsheets.
      if (input.readOnly) return;
      event.preventDefault();
      input.setRangeText('\n', input.selectionStart, input.selectionEnd, 'end');
      this.cellChanged(input);
      return;
    }
    const before = input.value.slice(0, input.selectionStart);
    const after = input.value.slice(input.selectionEnd);
    const moves = { Enter: [event.shiftKey ? -1 : 1, 0] };
    // Up and down move between cells from the cell's first and last line.
    if (!before.includes('\n')) moves.ArrowUp = [-1, 0];
    if (!after.includes('\n')) moves.ArrowDown = [1, 0];
    if (input.selectionStart === 0 && input.selectionEnd === 0) moves.ArrowLeft = [0, -1];
    if (input.selectionStart === input.value.length) moves.ArrowRight = [0, 1];
    const move = moves[event.key];
    if (!move) return;
    const target = this.cell(row + move[0], col + move[1]);
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.select();
  }
}

/** The lines a cell shows: its own, up to 4. */
function lineCount(value) {
  return Math.min(4, String(value).split(/\r\n|\r|\n/).length);
}
