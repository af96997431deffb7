"""The artifact panel against the real server and the fake model: documents the model writes stream
into the panel; the user opens them from their cards, edits them, steps through versions, views
changes, restores, applies suggestions, at desktop and phone width; hostile titles and content stay
text. Every wait is for the state asserted."""

from selenium.webdriver.common.by import By

from e2e.helpers import assistant_messages, one, open_page, send, wait, wait_answer


def test_other_tools_show_as_a_compact_call_with_their_input(browser, base_url):
    open_page(browser, base_url, "/")
    send(browser, "fake:tool")
    wait_answer(browser, 0)
    call = one(browser, '#message-list .tool-call[data-tool="getWeather"]')
    assert call.find_element(By.CSS_SELECTOR, ".tool-name").text == "getWeather"
    assert not call.find_elements(By.CSS_SELECTOR, ".document-card-button")
    call.find_element(By.CSS_SELECTOR, "summary").click()
    wait(browser, lambda d: '"Paris"' in call.find_element(By.CSS_SELECTOR, ".tool-json").text)
    assert len(assistant_messages(browser)) == 1


# MARK: documents the model stored, opened from their cards (see e2e/documents.py for why the rows are written directly)

import os  # noqa: E402

import pytest  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from e2e.conftest import database_env, servers  # noqa: E402
from e2e.documents import Database, create_document  # noqa: E402
from e2e.helpers import chat_id_from_url, css, toast_text  # noqa: E402
from e2e.test_xss import CORPUS, PROBE  # noqa: E402
from e2e.test_artifact_parts import assert_inert  # noqa: E402


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """A server of its own whose database the test can write to: (url, Database)."""
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("needs a server the suite starts itself")
    data = tmp_path_factory.mktemp("artifact-data")
    with database_env() as database, servers(tmp_path_factory, {**database, "DATA_DIR": str(data)}) as url:
        postgres = database.get("POSTGRES_URL") or os.environ.get("POSTGRES_URL")
        yield url, Database(postgres_url=postgres, sqlite_path=None if postgres else str(data / "chatbot.sqlite"))


def chat_with_document(driver, stack, title, kind, versions):
    """A chat whose answer carries a stored document's card; returns (chat id, document id, version times)."""
    url, db = stack
    open_page(driver, url, "/")
    send(driver, f"Write a {kind} called {title[:40]}", keys=False)
    wait_answer(driver, 0)
    chat_id = chat_id_from_url(driver)
    doc_id, times = create_document(db, chat_id, title, kind, versions)
    open_page(driver, url, f"/chat/{chat_id}")
    return chat_id, doc_id, times


def open_card(driver, doc_id):
    card = one(driver, f'.document-card[data-document-id="{doc_id}"] [data-action="open-document"]')
    card.click()
    wait_panel(driver, doc_id)
    return card


def panel(driver):
    return driver.execute_script("const p = document.getElementById('artifact-panel'); return p && !p.hidden ? {...p.dataset} : null;")


def wait_panel(driver, doc_id, **expected):
    def ready(d):
        state = panel(d)
        if not state or state.get("documentId") != doc_id or state.get("state") != "ready":
            return False
        return all(state.get(key) == value for key, value in expected.items())

    wait(driver, ready, message=f"panel not showing {doc_id} with {expected}: {panel(driver)}")
    return panel(driver)


def api_versions(driver, doc_id):
    driver.set_script_timeout(20)
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/api/document?id=' + arguments[0]).then(r => r.json()).then(done, e => done(String(e)));", doc_id)


def click(driver, action):
    one(driver, f'#artifact-panel [data-action="{action}"]').click()


def test_text_document_opens_from_its_card_edits_steps_through_versions_and_restores(browser, stack):
    essay = "# Cats\n\nCats sleep a lot. They purr when happy.\n"
    chat_id, doc_id, times = chat_with_document(browser, stack, "An essay about cats", "text", [essay])
    assert one(browser, f'.document-card[data-document-id="{doc_id}"]').get_attribute("textContent") == "Created An essay about cats"
    card = open_card(browser, doc_id)
    wait_panel(browser, doc_id, versionCount="1", kind="text")
    assert one(browser, "#artifact-title").text == "An essay about cats"
    wait(browser, lambda d: "Cats sleep a lot." in one(d, "#artifact-panel .artifact-preview").text)
    assert one(browser, "#artifact-panel .artifact-preview h1").text == "Cats"
    # Focus moved into the panel, which is labelled by the document's title.
    assert browser.execute_script("return document.getElementById('artifact-panel').contains(document.activeElement)")

    # Edit: saved as a new version after a pause.
    one(browser, '#artifact-panel [role="tab"][data-mode="edit"]').click()
    area = one(browser, "#artifact-panel .artifact-textarea")
    area.send_keys(Keys.CONTROL, Keys.END)
    area.send_keys("They also hunt mice.")
    wait_panel(browser, doc_id, versionCount="2", versionIndex="1", save="saved")
    versions = api_versions(browser, doc_id)
    assert [v["content"] for v in versions] == [essay, essay + "They also hunt mice."]

    # View changes: the added sentence is marked as added.
    click(browser, "view-changes")
    wait(browser, lambda d: d.execute_script("return [...document.querySelectorAll('#artifact-panel .diff ins')].map(e => e.textContent).join('|')"))
    added = browser.execute_script("return [...document.querySelectorAll('#artifact-panel .diff ins')].map(e => e.textContent).join('|')")
    assert "They also hunt mice." in added
    assert not css(browser, "#artifact-panel .diff del")
    click(browser, "view-changes")

    # Back to version 1: read-only, with a way to restore it.
    click(browser, "previous-version")
    wait_panel(browser, doc_id, versionIndex="0")
    wait(browser, lambda d: one(d, "#artifact-panel .artifact-restore").is_displayed())
    assert "hunt mice" not in one(browser, "#artifact-panel .artifact-preview").text
    assert not one(browser, '#artifact-panel [role="tab"][data-mode="edit"]').is_displayed()
    click(browser, "restore")
    wait_panel(browser, doc_id, versionCount="1", versionIndex="0")
    assert [v["content"] for v in api_versions(browser, doc_id)] == [essay]
    assert not one(browser, "#artifact-panel .artifact-restore").is_displayed()

    # Escape closes the panel and gives focus back to the card that opened it.
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(browser, lambda d: panel(d) is None)
    assert browser.execute_script("return document.activeElement.dataset.action") == "open-document"
    assert card.is_displayed()


def test_code_document_is_highlighted_with_line_numbers_and_saves_edits(browser, stack):
    code = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    _, doc_id, _ = chat_with_document(browser, stack, "fib.py", "code", [code])
    open_card(browser, doc_id)
    wait_panel(browser, doc_id, kind="code", versionCount="1")
    wait(browser, lambda d: d.execute_script("return document.querySelector('#artifact-panel .code-scroll').dataset.highlighter") == "highlight.js")
    assert browser.execute_script("return document.querySelectorAll('#artifact-panel .code-mirror .hljs-keyword').length") >= 2
    assert one(browser, "#artifact-panel .code-gutter").get_attribute("textContent") == "1\n2\n3"
    area = one(browser, "#artifact-panel .code-input")
    area.click()
    area.send_keys(Keys.CONTROL, Keys.END)
    area.send_keys("print(fib(10))")
    wait_panel(browser, doc_id, versionCount="2", save="saved")
    assert api_versions(browser, doc_id)[-1]["content"] == code + "print(fib(10))"


def test_sheet_document_is_an_editable_grid_copied_as_csv(browser, stack):
    csv = "Name,Born\nAda Lovelace,1815\n\"Babbage, Charles\",1791"
    _, doc_id, _ = chat_with_document(browser, stack, "Computing pioneers", "sheet", [csv])
    open_card(browser, doc_id)
    wait_panel(browser, doc_id, kind="sheet")
    assert one(browser, '#artifact-panel .sheet-cell[aria-label="A3"]').get_attribute("value") == "Babbage, Charles"
    cell = one(browser, '#artifact-panel .sheet-cell[aria-label="B2"]')
    cell.click()
    cell.send_keys(Keys.END, Keys.BACKSPACE, "6")
    wait_panel(browser, doc_id, versionCount="2", save="saved")
    assert api_versions(browser, doc_id)[-1]["content"] == "Name,Born\nAda Lovelace,1816\n\"Babbage, Charles\",1791"
    click(browser, "copy")
    assert "Copied as CSV." in toast_text(browser)


def test_suggestions_show_in_place_and_apply_as_a_new_version(browser, stack):
    url, db = stack
    text = "Cats sleep a lot. They purr when happy.\n"
    chat_id, doc_id, times = chat_with_document(browser, stack, "Cats", "text", [text])
    db.add_suggestion(doc_id, chat_id, times[-1], "They purr when happy.", "They purr when they are content.", "A more precise word")
    open_card(browser, doc_id)
    item = one(browser, "#artifact-panel .doc-suggestion")
    assert "A more precise word" in item.text
    assert one(browser, "#artifact-panel .artifact-preview mark.suggestion-mark").text == "They purr when happy."
    item.find_element(By.CSS_SELECTOR, '[data-action="apply-suggestion"]').click()
    wait_panel(browser, doc_id, versionCount="2", save="saved")
    assert api_versions(browser, doc_id)[-1]["content"] == "Cats sleep a lot. They purr when they are content.\n"
    wait(browser, lambda d: not css(d, "#artifact-panel .doc-suggestion"))
    assert not css(browser, "#artifact-panel mark.suggestion-mark")


def test_panel_takes_the_whole_screen_at_phone_width(new_browser, stack):
    browser = new_browser(width=390, height=844)
    _, doc_id, _ = chat_with_document(browser, stack, "Phone essay", "text", ["Short text."])
    open_card(browser, doc_id)
    rect = browser.execute_script("const r = document.getElementById('artifact-panel').getBoundingClientRect(); return [r.left, r.top, r.width, r.height, innerWidth, innerHeight];")
    assert rect[0] == 0 and rect[1] == 0 and rect[2] == rect[4] and rect[3] == rect[5], rect
    # What is under the panel can be neither focused nor read out.
    assert browser.execute_script("return document.querySelector('.workspace').inert && document.getElementById('artifact-panel').getAttribute('aria-modal')") == "true"
    one(browser, '#artifact-panel [data-action="close"]').click()
    wait(browser, lambda d: panel(d) is None)
    assert not browser.execute_script("return document.querySelector('.workspace').inert")


@pytest.mark.parametrize("kind", ["text", "code", "sheet"])
def test_hostile_titles_and_content_execute_nothing(browser, stack, kind):
    title = CORPUS[1] + CORPUS[0]
    content = "\n\n".join(CORPUS) if kind != "sheet" else "\n".join('"' + c.replace('"', '""') + '",x' for c in CORPUS)
    _, doc_id, _ = chat_with_document(browser, stack, title, kind, [content, content + "\n<img src=x onerror=window.__pwned=99>"])
    browser.execute_script(PROBE)
    open_card(browser, doc_id)
    wait_panel(browser, doc_id, versionCount="2")
    assert one(browser, "#artifact-title").text == title
    assert one(browser, f'.document-card[data-document-id="{doc_id}"]').get_attribute("textContent") == f"Created {title}"
    if kind != "sheet":
        click(browser, "view-changes")
        wait(browser, lambda d: css(d, "#artifact-panel .diff"))
    assert_inert(browser, "return document.getElementById('artifact-panel')")
    assert_inert(browser, "return document.getElementById('message-list')")


# MARK: documents the (fake) model writes through the tools, streamed into the panel

RECORD_STATES = """
window.__panelStates = [];
new MutationObserver((records) => {
  for (const r of records) if (r.target.id === 'artifact-panel') window.__panelStates.push(r.target.dataset.state);
}).observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
"""


def ask_for_document(driver, directive, count):
    driver.execute_script(RECORD_STATES)
    send(driver, directive, keys=False)
    wait_answer(driver, count)
    return wait(driver, lambda d: (panel(d) or {}).get("documentId"), message="no panel")


def test_ask_for_an_essay_a_script_and_a_table_and_watch_them_stream_into_the_panel(browser, base_url):
    open_page(browser, base_url, "/")
    checks = {
        "text": lambda d: "The fake Bedrock server wrote this." in one(d, "#artifact-panel .artifact-preview").text,
        "code": lambda d: one(d, "#artifact-panel .code-input").get_attribute("value").startswith("def greet(name):")
                and d.execute_script("return document.querySelectorAll('#artifact-panel .code-mirror .hljs-keyword').length") > 0,
        "sheet": lambda d: one(d, '#artifact-panel .sheet-cell[aria-label="A4"]').get_attribute("value") == "Hopper, G.",
    }
    for count, kind in enumerate(["text", "code", "sheet"]):
        doc_id = ask_for_document(browser, f"fake:document:{kind}", count)
        wait_panel(browser, doc_id, kind=kind, versionCount="1")
        assert "streaming" in browser.execute_script("return window.__panelStates"), "the panel did not show the document while it streamed"
        assert one(browser, "#artifact-title").text == f"A fake {kind} document"
        wait(browser, checks[kind], message=f"{kind} content")
        card = one(browser, f'.document-card[data-tool="createDocument"][data-document-id="{doc_id}"]')
        assert card.get_attribute("data-state") == "output-available"
        assert card.get_attribute("textContent") == f"Created A fake {kind} document"


def test_ask_for_changes_and_suggestions_then_apply_one(browser, base_url):
    open_page(browser, base_url, "/")
    doc_id = ask_for_document(browser, "fake:document:text", 0)
    wait_panel(browser, doc_id, versionCount="1")
    assert ask_for_document(browser, f"fake:update:{doc_id}", 1) == doc_id
    wait_panel(browser, doc_id, versionCount="2")
    assert "streaming" in browser.execute_script("return window.__panelStates")
    wait(browser, lambda d: "closing line was added" in one(d, "#artifact-panel .artifact-preview").text)
    one(browser, f'.document-card[data-tool="updateDocument"][data-document-id="{doc_id}"]')
    send(browser, f"fake:suggest:{doc_id}", keys=False)
    wait_answer(browser, 2)
    item = one(browser, "#artifact-panel .doc-suggestion")
    assert "Add emphasis." in item.text
    item.find_element(By.CSS_SELECTOR, '[data-action="apply-suggestion"]').click()
    wait_panel(browser, doc_id, versionCount="3", save="saved")
    assert ", indeed" in api_versions(browser, doc_id)[-1]["content"]


# MARK: a document tool stopped, resumed or failing (fake:document-slow writes a line every 100 ms for a minute)

def panel_text(driver):
    return driver.execute_script("const p = document.getElementById('artifact-panel'); return p ? p.textContent : '';")


def wait_writing(driver, line, doc_id=None):
    """Waits until the panel streams the slow document up to `line`; returns its id."""
    def writing(d):
        state = panel(d) or {}
        if state.get("state") != "streaming" or (doc_id and state.get("documentId") != doc_id):
            return None
        return state.get("documentId") if f"Line {line} of a slow document." in panel_text(d) else None

    return wait(driver, writing, message=f"the panel is not writing line {line}: {panel(driver)}")


def test_stop_while_a_document_is_written_keeps_what_was_written(browser, base_url):
    open_page(browser, base_url, "/")
    send(browser, "fake:document-slow:text", keys=False)
    doc_id = wait_writing(browser, 3)
    one(browser, "#stop-button").click()
    wait_answer(browser, 0, status="stopped")
    # The panel settles on the version saved from what was written; the card says the call did not finish.
    wait_panel(browser, doc_id, versionCount="1")
    [version] = api_versions(browser, doc_id)
    assert "Line 3 of a slow document." in version["content"] and "Line 600" not in version["content"]
    card = one(browser, f'.document-card[data-tool="createDocument"][data-document-id="{doc_id}"]')
    wait(browser, lambda d: card.get_attribute("data-state") in ("interrupted", "output-error"),
         message=f"card state {card.get_attribute('data-state')}")


def test_a_reload_while_a_document_is_written_resumes_it_in_the_panel(browser, base_url):
    open_page(browser, base_url, "/")
    send(browser, "fake:document-slow:sheet", keys=False)
    wait(browser, lambda d: (panel(d) or {}).get("state") == "streaming", message="the sheet never streamed")
    doc_id = panel(browser)["documentId"]
    chat_id = chat_id_from_url(browser)
    open_page(browser, base_url, f"/chat/{chat_id}")
    # The resumed stream replays the tool's parts: the panel opens on the same document and keeps growing.
    def rows(d):
        state = panel(d) or {}
        if state.get("state") != "streaming" or state.get("documentId") != doc_id:
            return 0
        return d.execute_script("return document.querySelectorAll('#artifact-panel .sheet-grid tbody tr').length")

    first = wait(browser, rows, message=f"the panel did not reopen on the resumed document: {panel(browser)}")
    wait(browser, lambda d: rows(d) > first + 3, message="the resumed document stopped growing")
    one(browser, f'.document-card[data-tool="createDocument"][data-document-id="{doc_id}"]')
    one(browser, "#stop-button").click()
    wait_answer(browser, 0, status="stopped")
    wait_panel(browser, doc_id, versionCount="1")


def test_a_failed_create_shows_its_error_on_the_card(browser, base_url):
    open_page(browser, base_url, "/")
    send(browser, "fake:document-bad", keys=False)
    wait_answer(browser, 0)
    card = one(browser, '.document-card[data-tool="createDocument"]')
    wait(browser, lambda d: card.get_attribute("data-state") == "output-error", message=f"card state {card.get_attribute('data-state')}")
    error = card.find_element(By.CSS_SELECTOR, ".message-error").text
    assert "kind" in error, error
    assert not card.find_elements(By.CSS_SELECTOR, '[data-action="open-document"]')
    assert panel(browser) is None
