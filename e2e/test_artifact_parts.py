"""The artifact panel's parts in Chromium, with the app's real modules and the Debian libraries the
server serves: CSV, the diff, the three editors, document cards, and hostile titles and content
rendering as inert text everywhere. The panel against the document API is in test_artifacts.py."""

import pytest
from selenium.webdriver.common.keys import Keys

from e2e.conftest import running_stack
from e2e.test_modules import run
from e2e.test_xss import CORPUS, PROBE
from e2e.helpers import open_page, wait

INERT = """
const root = arguments[0] || document.body;
const bad = [];
for (const el of root.querySelectorAll('*')) {
  if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'FORM', 'IMG', 'SVG', 'MATH', 'DETAILS'].includes(el.tagName.toUpperCase())
      && !el.matches('svg.icon, details.tool-details')) bad.push('tag ' + el.tagName);
  for (const attr of el.attributes) {
    if (/^on/i.test(attr.name)) bad.push('attr ' + attr.name);
    if (/^\\s*(javascript|data|vbscript):/i.test(attr.value) && ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name)) bad.push('url ' + attr.value);
  }
}
return {pwned: window.__pwned ?? null, violations: window.__violations ?? [], bad};
"""


def assert_inert(driver, root_script="return document.body"):
    root = driver.execute_script(root_script)
    result = driver.execute_script(INERT, root)
    assert result == {"pwned": None, "violations": [], "bad": []}, result


def test_csv_round_trips_quotes_commas_and_newlines(browser, base_url):
    open_page(browser, base_url, "/")
    result = run(browser, """
        const { parseCSV, toCSV, columnName } = await import('/public/js/csv.js');
        const text = 'Name,Note\\r\\n"Lovelace, Ada","said ""hi""\\nthen left"\\nBabbage,\\n';
        const rows = parseCSV(text);
        return { rows, again: toCSV(rows), names: [0, 25, 26, 701].map(columnName), empty: parseCSV('') };
    """)
    assert result["rows"] == [["Name", "Note"], ["Lovelace, Ada", 'said "hi"\nthen left'], ["Babbage", ""]]
    assert result["again"] == 'Name,Note\n"Lovelace, Ada","said ""hi""\nthen left"\nBabbage,'
    assert result["names"] == ["A", "Z", "AA", "ZZ"]
    assert result["empty"] == []


def test_diff_marks_changed_words_inside_changed_lines(browser, base_url):
    open_page(browser, base_url, "/")
    result = run(browser, """
        const { diffText, renderDiff } = await import('/public/js/diff.js');
        const before = 'The cat sat on the mat.\\nSecond line.\\nThird.\\n';
        const after = 'The dog sat on the mat.\\nSecond line.\\nA new line.\\nThird.\\n';
        const view = renderDiff(before, after);
        return { segments: diffText(before, after), ins: [...view.querySelectorAll('ins')].map(e => e.textContent),
                 del: [...view.querySelectorAll('del')].map(e => e.textContent), same: renderDiff('x', 'x').textContent };
    """)
    assert result["segments"] == [
        {"type": "equal", "text": "The "}, {"type": "delete", "text": "cat"}, {"type": "insert", "text": "dog"},
        {"type": "equal", "text": " sat on the mat.\nSecond line.\n"}, {"type": "insert", "text": "A new line.\n"},
        {"type": "equal", "text": "Third.\n"},
    ]
    assert result["ins"] == ["[added: dog]", "[added: A new line.\n]"]
    assert result["del"] == ["[removed: cat]"]
    assert "No changes" in result["same"]


def test_code_editor_highlights_with_debian_highlightjs_and_numbers_lines(browser, base_url):
    open_page(browser, base_url, "/")
    run(browser, """
        const { CodeEditor } = await import('/public/js/artifact-editors.js');
        const editor = new CodeEditor({ onInput: (v) => (window.__typed = v) });
        document.body.replaceChildren(editor.el);
        editor.show('def fib(n):\\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\\n', { editable: true, title: 'fib.py' });
        window.__editor = editor;
        return null;
    """)
    wait(browser, lambda d: d.execute_script("return document.querySelector('.code-scroll').dataset.highlighter") == "highlight.js")
    state = browser.execute_script("""
        const e = window.__editor;
        return { keywords: [...e.el.querySelectorAll('.code-mirror .hljs-keyword')].map(s => s.textContent),
                 gutter: e.el.querySelector('.code-gutter').textContent, language: e.el.querySelector('.code-language').textContent,
                 mirror: e.el.querySelector('.code-mirror').textContent };
    """)
    assert "def" in state["keywords"] and "return" in state["keywords"]
    assert state["gutter"] == "1\n2\n3"
    assert state["language"] == "python"
    # The highlighted copy is the code, character for character (plus the line the caret may sit on).
    assert state["mirror"] == "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\n"
    area = browser.find_element("css selector", ".code-input")
    area.send_keys("print(fib(10))\n")
    wait(browser, lambda d: d.execute_script("return document.querySelector('.code-gutter').textContent.split('\\n').length") == 4)
    assert browser.execute_script("return window.__typed").endswith("print(fib(10))\n")
    # The highlighted copy follows the typing.
    wait(browser, lambda d: d.execute_script("return document.querySelector('.code-mirror').textContent === document.querySelector('.code-input').value + '\\n'"))
    assert browser.execute_script("return document.querySelector('.code-mirror').textContent").endswith("print(fib(10))\n\n")


@pytest.fixture(scope="module")
def bare_base_url(tmp_path_factory):
    """A server whose Debian browser libraries are missing: the editors must fall back to plain text."""
    empty = tmp_path_factory.mktemp("no-vendor-js")
    with running_stack(tmp_path_factory, {"VENDOR_JS_DIR": str(empty)}) as url:
        yield url


def test_code_editor_without_highlightjs_is_a_plain_textarea_with_line_numbers(browser, bare_base_url):
    open_page(browser, bare_base_url, "/")
    run(browser, """
        const { CodeEditor } = await import('/public/js/artifact-editors.js');
        const editor = new CodeEditor({ onInput: () => {} });
        document.body.append(editor.el);
        editor.show('a = 1\\nb = 2', { editable: true, title: 'x.py' });
        return null;
    """)
    wait(browser, lambda d: d.execute_script("return document.querySelector('.code-scroll').dataset.highlighter") == "none")
    state = browser.execute_script("""
        const area = document.querySelector('.code-input');
        return { gutter: document.querySelector('.code-gutter').textContent, value: area.value, readOnly: area.readOnly,
                 label: document.querySelector('.code-language').textContent, spans: document.querySelectorAll('.code-mirror span').length };
    """)
    assert state == {"gutter": "1\n2", "value": "a = 1\nb = 2", "readOnly": False, "label": "Plain text", "spans": 0}


def test_sheet_grid_edits_by_keyboard_and_grows(browser, base_url):
    open_page(browser, base_url, "/")
    run(browser, """
        const { SheetEditor } = await import('/public/js/artifact-editors.js');
        const editor = new SheetEditor({ onInput: (v) => (window.__csv = v) });
        document.body.replaceChildren(editor.el);
        editor.show('Name,Age\\nAda,36', { editable: true });
        window.__sheet = editor;
        return null;
    """)
    cell = browser.find_element("css selector", '.sheet-cell[aria-label="B2"]')
    cell.click()
    cell.send_keys(Keys.END, "7")
    assert browser.execute_script("return window.__csv") == "Name,Age\nAda,367"
    cell.send_keys(Keys.ENTER)  # moves down to B3, the spare row
    wait(browser, lambda d: d.execute_script("return document.activeElement.getAttribute('aria-label')") == "B3")
    browser.switch_to.active_element.send_keys("x,y")
    assert browser.execute_script("return window.__csv") == 'Name,Age\nAda,367\n,"x,y"'
    # Typing into the spare row added another one.
    wait(browser, lambda d: d.find_elements("css selector", '.sheet-cell[aria-label="B4"]'))
    assert browser.execute_script("return document.activeElement.getAttribute('aria-label')") == "B3"


def test_a_multi_line_cell_keeps_its_line_breaks_when_edited(browser, base_url):
    open_page(browser, base_url, "/")
    run(browser, """
        const { SheetEditor } = await import('/public/js/artifact-editors.js');
        const editor = new SheetEditor({ onInput: (v) => (window.__csv = v) });
        document.body.replaceChildren(editor.el);
        editor.show('Name,Address\\nAda,"12 Lane\\nLondon"', { editable: true });
        return null;
    """)
    cell = browser.find_element("css selector", '.sheet-cell[aria-label="B2"]')
    assert cell.get_attribute("value") == "12 Lane\nLondon"
    cell.click()
    browser.execute_script("arguments[0].setSelectionRange(arguments[0].value.length, arguments[0].value.length)", cell)
    cell.send_keys("!")
    assert browser.execute_script("return window.__csv") == 'Name,Address\nAda,"12 Lane\nLondon!"'
    # Alt+Enter starts another line in the cell; Enter still moves down.
    cell.send_keys(Keys.ALT, Keys.ENTER)
    cell.send_keys("UK")
    assert browser.execute_script("return window.__csv") == 'Name,Address\nAda,"12 Lane\nLondon!\nUK"'
    cell.send_keys(Keys.ENTER)
    wait(browser, lambda d: d.execute_script("return document.activeElement.getAttribute('aria-label')") == "B3")


def test_hostile_titles_and_content_render_as_text_everywhere(browser, base_url):
    open_page(browser, base_url, "/")
    browser.execute_script(PROBE)
    result = run(browser, """
        const corpus = arguments[0];
        const md = await import('/public/js/markdown.js');
        await md.loadMarkdown();
        const { TextEditor, CodeEditor, SheetEditor } = await import('/public/js/artifact-editors.js');
        const { loadHighlighter } = await import('/public/js/code-highlight.js');
        const { renderToolPart, loadArtifactStyles } = await import('/public/js/tool-view.js');
        const { renderDiff } = await import('/public/js/diff.js');
        const { SuggestionList } = await import('/public/js/artifact-suggestions.js');
        await loadHighlighter();
        await loadArtifactStyles();
        const root = document.createElement('div');
        root.id = 'hostile-root';
        document.body.append(root);
        const all = corpus.join('\\n\\n');
        const text = new TextEditor({ onInput: () => {} });
        root.append(text.el);
        text.show(all, { editable: true });
        text.setMarks(corpus.map((c, i) => ({ id: 'm' + i, originalText: c })));
        for (const language of ['xml', 'javascript', null]) {
          const code = new CodeEditor({ onInput: () => {} });
          root.append(code.el);
          code.show(all, { editable: true, title: language ? 'x.' + (language === 'xml' ? 'html' : 'js') : corpus[0] });
        }
        const sheet = new SheetEditor({ onInput: () => {} });
        root.append(sheet.el);
        const quote = (c) => '"' + c.replaceAll('"', '""') + '"';
        sheet.show(corpus.map((c) => quote(c) + ',' + quote(c + '!')).join('\\n'), { editable: true });
        root.append(renderDiff(corpus.slice(0, 7).join('\\n'), corpus.slice(7).join('\\n')));
        const list = new SuggestionList({ onApply: () => {} });
        list.set(corpus.map((c, i) => ({ id: 's' + i, originalText: c, suggestedText: c + '!', description: c })), all);
        root.append(list.el);
        for (const [i, title] of corpus.entries()) {
          for (const tool of ['createDocument', 'updateDocument', 'requestSuggestions', 'hostile' + i]) {
            const el = document.createElement('div');
            renderToolPart(el, { type: 'tool-' + tool, state: i % 2 ? 'output-available' : 'output-error', errorText: title,
                                 input: { title, kind: 'text', description: title, id: title }, output: { id: title, title, kind: title } },
                           { onOpenDocument: () => {} });
            root.append(el);
          }
        }
        return { cards: root.querySelectorAll('.document-card-title').length,
                 cardTitles: [...root.querySelectorAll('.document-card-title')].slice(0, 3).map(e => e.textContent),
                 codeKept: [...root.querySelectorAll('.code-mirror')].every(m => m.textContent === all + '\\n'),
                 previewText: text.preview.textContent.includes('<script>window.__pwned = 1</script>'),
                 marks: root.querySelectorAll('.suggestion-mark').length,
                 // Cells keep a multi-line value's line breaks.
                 cells: [...root.querySelectorAll('.sheet-cell')].filter(c => corpus.some(t => [t, t + '!'].includes(c.value))).length };
    """.replace("arguments[0]", "JSON.parse(" + repr(__import__("json").dumps(CORPUS)) + ")"))
    assert "error" not in result, result
    assert result["cards"] == len(CORPUS) * 3
    assert result["cardTitles"] == CORPUS[:1] * 3
    assert result["codeKept"]
    assert result["previewText"]
    assert result["marks"] > 0
    assert result["cells"] == len(CORPUS) * 2
    assert_inert(browser, "return document.getElementById('hostile-root')")


def test_document_parts_build_the_streamed_document(browser, base_url):
    open_page(browser, base_url, "/")
    result = run(browser, """
        const { applyDocumentPart, documentOf } = await import('/public/js/artifact-data.js');
        const stream = {};
        const events = [];
        for (const [type, data] of [['data-kind', 'text'], ['data-id', 'd1'], ['data-title', 'Essay'], ['data-clear', null],
                                    ['data-textDelta', 'Hel'], ['data-textDelta', 'lo'], ['data-finish', null], ['data-chat-title', 'x']]) {
          events.push(applyDocumentPart(stream, { type, data }));
        }
        const text = { ...stream };
        applyDocumentPart(stream, { type: 'data-kind', data: 'code' });
        applyDocumentPart(stream, { type: 'data-codeDelta', data: 'print(1' });
        applyDocumentPart(stream, { type: 'data-codeDelta', data: ')' });
        return { events, text, code: stream.content, kind: stream.kind,
                 created: documentOf({ type: 'tool-createDocument', input: { title: 'T', kind: 'sheet' }, output: { id: 'd2' } }),
                 streaming: documentOf({ type: 'tool-createDocument', input: { title: 'T', kind: 'code' }, streamDocumentId: 'd3' }),
                 update: documentOf({ type: 'tool-updateDocument', input: { id: 'd4', description: 'x' } }),
                 suggestions: documentOf({ type: 'tool-requestSuggestions', input: { documentId: 'd5' } }) };
    """)
    assert result["events"] == ["changed", "started", "changed", "changed", "changed", "changed", "finished", None]
    assert result["text"] == {"kind": "text", "id": "d1", "title": "Essay", "content": "Hello", "status": "idle"}
    assert result["code"] == "print(1)" and result["kind"] == "code"
    assert result["created"] == {"id": "d2", "title": "T", "kind": "sheet"}
    assert result["streaming"] == {"id": "d3", "title": "T", "kind": "code"}
    assert result["update"] == {"id": "d4", "title": None, "kind": None}
    assert result["suggestions"] == {"id": "d5", "title": None, "kind": None}
