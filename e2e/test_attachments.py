"""Attachments in the composer: pick, paste, remove, send, see them after a reload; markup named .png is refused."""

import base64
import json
import pathlib

import pytest

from e2e.conftest import running_stack

from e2e.helpers import assistant_messages, chat_id_from_url, css, one, open_page, send, toast_text, wait, wait_answer

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def attach(driver, *paths):
    one(driver, "#attach-input").send_keys("\n".join(str(path) for path in paths))


def done_names(driver):
    return [item.get_attribute("data-name") for item in css(driver, "#composer-attachments .attachment-done")]


def paste(driver, name, data, media_type):
    driver.execute_script(
        "const bytes = Uint8Array.from(atob(arguments[1]), (c) => c.charCodeAt(0));"
        "const transfer = new DataTransfer(); transfer.items.add(new File([bytes], arguments[0], {type: arguments[2]}));"
        "document.getElementById('composer-input').dispatchEvent(new ClipboardEvent('paste', {clipboardData: transfer, bubbles: true, cancelable: true}));",
        name, base64.b64encode(data).decode(), media_type)


def test_attach_paste_remove_send_and_view_after_reload(browser, base_url, tmp_path):
    (tmp_path / "shot.png").write_bytes(PNG)
    (tmp_path / "report.pdf").write_bytes(PDF)
    open_page(browser, base_url, "/")
    button = one(browser, "#attach-button")
    wait(browser, lambda d: button.is_displayed(), message="the paperclip is hidden for a model that reads images")
    attach(browser, tmp_path / "shot.png", tmp_path / "report.pdf")
    wait(browser, lambda d: sorted(done_names(d)) == ["report.pdf", "shot.png"], message="uploads did not finish")
    paste(browser, "pasted.png", PNG, "image/png")
    wait(browser, lambda d: len(done_names(d)) == 3, message="the pasted image did not upload")
    # Remove the pasted one with the keyboard-reachable button.
    one(browser, '#composer-attachments .attachment[data-name="pasted.png"] .attachment-remove').click()
    wait(browser, lambda d: sorted(done_names(d)) == ["report.pdf", "shot.png"], message="remove did not remove")
    before = send(browser, "What is in these files?")
    wait_answer(browser, before)
    assert not css(browser, "#composer-attachments .attachment"), "the composer keeps sent attachments"

    def shown(d):
        message = css(d, "#message-list article.message-user")[-1]
        thumbs = message.find_elements("css selector", ".message-attachments .attachment-thumb img")
        chips = message.find_elements("css selector", ".message-attachments .attachment-chip")
        return (thumbs, chips) if len(thumbs) == 1 and len(chips) == 1 else None

    thumbs, chips = wait(browser, shown, message="the sent message does not show its attachments")
    assert "report.pdf" in chips[0].text
    # After a reload the stored message shows them again, and the thumbnail image loads (it is served to its owner).
    chat_id = chat_id_from_url(browser)
    open_page(browser, base_url, f"/chat/{chat_id}")
    thumbs, chips = wait(browser, shown, message="attachments are gone after a reload")
    wait(browser, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth === 1", thumbs[0]),
         message="the thumbnail did not load")
    link = thumbs[0].find_element("xpath", "..")
    assert link.get_attribute("target") == "_blank" and "/api/files/" in link.get_attribute("href")
    assert len(assistant_messages(browser)) == 1


def test_markup_renamed_as_png_is_refused(browser, base_url, tmp_path):
    (tmp_path / "cat.png").write_bytes(SVG)
    (tmp_path / "page.png").write_bytes(b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    open_page(browser, base_url, "/")
    attach(browser, tmp_path / "cat.png")
    assert "cat.png cannot be attached" in toast_text(browser)
    attach(browser, tmp_path / "page.png")
    wait(browser, lambda d: "page.png cannot be attached" in " ".join(t.text for t in css(d, ".toast")), message="HTML accepted")
    wait(browser, lambda d: not css(d, "#composer-attachments .attachment"), message="a refused file stays in the composer")


def test_send_waits_for_a_pending_upload(browser, base_url, tmp_path):
    (tmp_path / "shot.png").write_bytes(PNG)
    open_page(browser, base_url, "/")
    # Hold uploads until the test releases them, so "pending" is a state to look at, not a race.
    browser.execute_script(
        "window.__release = null; const held = new Promise((resolve) => (window.__release = resolve));"
        "const send = XMLHttpRequest.prototype.send;"
        "XMLHttpRequest.prototype.send = function (body) { held.then(() => send.call(this, body)); };")
    one(browser, "#composer-input").send_keys("describe it")
    attach(browser, tmp_path / "shot.png")
    one(browser, "#composer-attachments .attachment-uploading progress")
    assert one(browser, "#send-button").get_attribute("disabled") is not None, "send is enabled while an upload is pending"
    browser.execute_script("window.__release()")
    wait(browser, lambda d: done_names(d) == ["shot.png"], message="the held upload never finished")
    wait(browser, lambda d: one(d, "#send-button").get_attribute("disabled") is None, message="send stayed disabled")


def test_a_refused_message_gives_back_its_attachments(browser, limited_base_url, tmp_path):
    """The server refuses the second message of the day: its text and its attachments go back into the composer,
    ready to send again (they are still the user's uploads)."""
    (tmp_path / "shot.png").write_bytes(PNG)
    (tmp_path / "report.pdf").write_bytes(PDF)
    open_page(browser, limited_base_url, "/")
    before = send(browser, "my only message today")
    wait_answer(browser, before)
    attach(browser, tmp_path / "shot.png", tmp_path / "report.pdf")
    wait(browser, lambda d: sorted(done_names(d)) == ["report.pdf", "shot.png"], message="uploads did not finish")
    send(browser, "and what is in these?")
    one(browser, "#chat-notices .notice")
    wait(browser, lambda d: one(d, "#composer-input").get_attribute("value") == "and what is in these?", message="refused text not restored")
    wait(browser, lambda d: sorted(done_names(d)) == ["report.pdf", "shot.png"], message="refused attachments not restored")
    preview = one(browser, '#composer-attachments .attachment[data-name="shot.png"] img.attachment-preview')
    wait(browser, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth === 1", preview),
         message="the restored preview does not load")
    assert one(browser, "#send-button").get_attribute("disabled") is None


TEXT_ONLY = "us.example.text-only-v1:0"


@pytest.fixture(scope="module")
def text_only_url(tmp_path_factory):
    """A server whose catalog also offers a model that reads neither images nor documents."""
    catalog = json.loads((pathlib.Path(__file__).parent.parent / "catalog" / "models.json").read_text())
    catalog["models"].append({"id": TEXT_ONLY, "foundationModel": TEXT_ONLY, "name": "Text Only", "description": "",
                              "provider": "bedrock", "reasoning": "none", "tools": False, "vision": False,
                              "contextWindow": 8000, "maxOutputTokens": 1000})
    path = tmp_path_factory.mktemp("catalog") / "models.json"
    path.write_text(json.dumps(catalog))
    with running_stack(tmp_path_factory, {"MODELS_FILE": str(path)}) as url:
        yield url


def test_the_paperclip_is_hidden_for_a_model_that_reads_no_files(browser, text_only_url):
    open_page(browser, text_only_url, "/")
    wait(browser, lambda d: one(d, "#attach-button").is_displayed(), message="the default model reads images")
    browser.execute_script("localStorage.setItem('chat-model', arguments[0])", TEXT_ONLY)
    open_page(browser, text_only_url, "/")
    wait(browser, lambda d: "Text Only" in one(d, ".model-button").text, message="the text-only model was not chosen")
    # The capabilities were applied (the picker accepts nothing), not merely not applied yet.
    wait(browser, lambda d: one(d, "#attach-input").get_attribute("accept") == "", message="capabilities never applied")
    assert not one(browser, "#attach-button").is_displayed()
