"""Chatting: send, stream, title, resume, stop, edit, regenerate, vote, model choice, Markdown, errors."""

import os

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from e2e.helpers import (
    assistant_messages, chat_id_from_url, css, one, open_page, send, set_message, shot, toast_text,
    type_message, user_messages, user_texts, wait, wait_answer, wait_streaming,
)

LONG = " ".join(f"word{i}" for i in range(120))


def test_guest_sends_a_message_and_sees_the_streamed_answer(browser, base_url, screenshot_dir):
    open_page(browser, base_url, "/")
    assert one(browser, "#greeting").is_displayed()
    shot(browser, screenshot_dir, "01-new-chat")
    before = send(browser, "Hello there, robot")
    wait(browser, lambda d: one(d, "#composer-input").get_attribute("value") == "", message="the composer was not cleared")
    answer = wait_answer(browser, before)
    assert "Hello there, robot" in answer
    assert user_texts(browser) == ["Hello there, robot"]
    assert not one(browser, "#greeting").is_displayed()
    chat_id = chat_id_from_url(browser)
    # The stored conversation is what a reload shows.
    open_page(browser, base_url, f"/chat/{chat_id}")
    assert "Hello there, robot" in wait_answer(browser, 0)
    shot(browser, screenshot_dir, "02-chat-answered")


def test_the_title_appears_in_the_sidebar_without_a_reload(browser, base_url):
    open_page(browser, base_url, "/")
    send(browser, "Plan a picnic in the park")
    wait_answer(browser)
    chat_id = chat_id_from_url(browser)
    item = one(browser, f'.history-item[data-chat-id="{chat_id}"]')
    wait(browser, lambda d: item.text.strip() not in ("", "New chat"), message="title never arrived")
    assert item.find_element(By.CSS_SELECTOR, ".history-link").get_attribute("aria-current") == "page"
    assert "Today" in one(browser, ".history-group-title").text
    assert browser.title.endswith("- Chatbot") and browser.title != "Chatbot"


def test_shift_enter_adds_a_line_and_the_draft_survives_a_reload(browser, base_url):
    open_page(browser, base_url, "/")
    box = type_message(browser, "first line\nsecond line")
    assert box.get_attribute("value") == "first line\nsecond line"
    assert not user_messages(browser), "Shift+Enter must not send"
    browser.refresh()
    open_page(browser, base_url, "/")
    box = one(browser, "#composer-input")
    assert box.get_attribute("value") == "first line\nsecond line"
    box.send_keys(Keys.ENTER)
    assert "second line" in wait_answer(browser)
    browser.refresh()
    open_page(browser, base_url, "/")
    assert one(browser, "#composer-input").get_attribute("value") == ""


def test_a_reload_mid_answer_resumes_it(browser, base_url):
    open_page(browser, base_url, "/")
    send(browser, LONG, keys=False)
    wait_streaming(browser, 0, min_chars=20)
    chat_id = chat_id_from_url(browser)
    open_page(browser, base_url, f"/chat/{chat_id}")
    # The answer is still arriving after the reload, then completes in full.
    answer = wait_answer(browser, 0, timeout=60)
    assert "word119" in answer
    assert len(assistant_messages(browser)) == 1


def test_stop_keeps_the_partial_answer(browser, base_url):
    open_page(browser, base_url, "/")
    send(browser, LONG, keys=False)
    wait_streaming(browser, 0, min_chars=20)
    stop = one(browser, "#stop-button")
    assert stop.is_displayed()
    stop.click()
    partial = wait_answer(browser, 0, status="stopped")
    assert "word119" not in partial
    assert one(browser, "#send-button").is_displayed()
    chat_id = chat_id_from_url(browser)
    open_page(browser, base_url, f"/chat/{chat_id}")
    # After a reload the stored answer says it was stopped, and keeps exactly the partial text.
    stored = wait_answer(browser, 0, status="stopped")
    assert "word119" not in stored
    # The server kept at least what the user saw (it may have saved a delta the browser missed).
    assert stored.startswith(partial), (partial, stored)
    assert len(assistant_messages(browser)) == 1


def test_editing_a_message_replaces_what_came_after(browser, base_url):
    open_page(browser, base_url, "/")
    send(browser, "apples")
    wait_answer(browser)
    send(browser, "bananas")
    wait_answer(browser, 1)
    first = user_messages(browser)[0]
    first.find_element(By.CSS_SELECTOR, '[data-action="edit"]').click()
    editor = one(browser, ".edit-input")
    editor.clear()
    editor.send_keys("cherries", Keys.ENTER)
    wait(browser, lambda d: len(user_messages(d)) == 1 and user_texts(d) == ["cherries"])
    assert "cherries" in wait_answer(browser, 0)
    chat_id = chat_id_from_url(browser)
    open_page(browser, base_url, f"/chat/{chat_id}")
    wait_answer(browser, 0)
    assert user_texts(browser) == ["cherries"]
    assert len(assistant_messages(browser)) == 1


def test_regenerate_replaces_the_last_answer(browser, base_url):
    open_page(browser, base_url, "/")
    send(browser, "tell me again")
    wait_answer(browser)
    first_id = assistant_messages(browser)[-1].get_attribute("data-message-id")
    one(browser, '#message-list [data-action="regenerate"]').click()
    wait(browser, lambda d: assistant_messages(d) and assistant_messages(d)[-1].get_attribute("data-message-id") != first_id)
    assert "tell me again" in wait_answer(browser, 0)
    assert len(assistant_messages(browser)) == 1


def test_votes_are_saved(browser, base_url):
    open_page(browser, base_url, "/")
    send(browser, "rate me")
    wait_answer(browser)
    one(browser, '#message-list [data-action="upvote"]').click()
    assert "upvoted" in toast_text(browser).lower()
    chat_id = chat_id_from_url(browser)
    open_page(browser, base_url, f"/chat/{chat_id}")
    wait_answer(browser)
    wait(browser, lambda d: one(d, '[data-action="upvote"]').get_attribute("aria-pressed") == "true")
    one(browser, '[data-action="downvote"]').click()
    wait(browser, lambda d: one(d, '[data-action="downvote"]').get_attribute("aria-pressed") == "true")
    wait(browser, lambda d: one(d, '[data-action="upvote"]').get_attribute("aria-pressed") == "false", message="the upvote stayed pressed")


def test_the_model_choice_is_remembered(browser, base_url, screenshot_dir):
    open_page(browser, base_url, "/")
    button = one(browser, ".model-button")
    wait(browser, lambda d: button.text.strip() not in ("", "Model"))
    default = button.text
    button.click()
    search = one(browser, ".model-search")
    shot(browser, screenshot_dir, "05-model-selector")
    options = css(browser, ".model-option")
    assert len(options) >= 2
    target = next(o for o in options if o.get_attribute("aria-selected") == "false")
    name = target.find_element(By.CSS_SELECTOR, ".model-name").text
    model_id = target.get_attribute("data-model-id")
    search.send_keys(name[:6])
    one(browser, f'.model-option[data-model-id="{model_id}"]').click()
    assert name != default
    wait(browser, lambda d: one(d, ".model-button").text == name, message="the button does not show the chosen model")
    browser.refresh()
    open_page(browser, base_url, "/")
    wait(browser, lambda d: one(d, ".model-button").text == name)
    # Keyboard: ArrowDown moves from the chosen model to the next one (wrapping), Enter picks it.
    one(browser, ".model-button").click()
    one(browser, ".model-search")
    names = [o.find_element(By.CSS_SELECTOR, ".model-name").text for o in css(browser, ".model-option")]
    following = names[(names.index(name) + 1) % len(names)]
    assert following != name
    one(browser, ".model-search").send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    wait(browser, lambda d: not css(d, ".model-popover"))
    wait(browser, lambda d: one(d, ".model-button").text == following, message="the keyboard did not pick the next model")
    browser.refresh()
    open_page(browser, base_url, "/")
    wait(browser, lambda d: one(d, ".model-button").text == following, message="the keyboard's choice is not remembered")


def test_answers_render_markdown_safely(browser, base_url, screenshot_dir):
    open_page(browser, base_url, "/")
    text = (
        "Here is **bold** and a [link](https://example.com/docs).\n\n"
        "- first\n- second\n\n"
        "| Name | Value |\n| --- | --- |\n| a | 1 |\n\n"
        "```python\nprint('hi')\n```"
    )
    send(browser, text, keys=False)
    wait_answer(browser)
    answer = assistant_messages(browser)[-1]
    wait(browser, lambda d: answer.find_elements(By.CSS_SELECTOR, ".message-text strong"), message="markdown not rendered")
    assert answer.find_elements(By.CSS_SELECTOR, "ul li")
    assert answer.find_elements(By.CSS_SELECTOR, "table th")
    link = answer.find_element(By.CSS_SELECTOR, ".message-text a")
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    assert link.get_attribute("target") == "_blank"
    assert answer.find_element(By.CSS_SELECTOR, ".code-lang").text == "python"
    answer.find_element(By.CSS_SELECTOR, ".code-copy").click()
    assert "copied" in toast_text(browser).lower()
    shot(browser, screenshot_dir, "03-markdown-answer")


def test_the_rate_limit_is_a_readable_notice_with_the_fix(browser, limited_base_url, screenshot_dir):
    open_page(browser, limited_base_url, "/")
    send(browser, "my only message today")
    wait_answer(browser)
    send(browser, "one more please")
    notice = one(browser, "#chat-notices .notice")
    assert notice.get_attribute("role") == "alert"
    assert notice.get_attribute("data-code").startswith("rate_limit")
    assert notice.find_element(By.CSS_SELECTOR, ".notice-message").text.strip()
    assert notice.find_element(By.CSS_SELECTOR, ".notice-advice a").get_attribute("href").endswith("/register")
    # The refused message goes back into the box instead of being lost.
    wait(browser, lambda d: one(d, "#composer-input").get_attribute("value") == "one more please", message="refused text not restored")
    wait(browser, lambda d: user_texts(d) == ["my only message today"], message="the refused message is still listed")
    shot(browser, screenshot_dir, "17-rate-limit-notice")


def needs_fake_bedrock():
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("uses fake-bedrock's scripted directives")


def test_a_model_error_is_shown_with_its_fix(browser, base_url, screenshot_dir):
    needs_fake_bedrock()
    open_page(browser, base_url, "/")
    send(browser, "fake:error:AccessDeniedException")

    def error_text(d):
        shown = css(d, "#chat-notices .notice .notice-message") + css(d, '#message-list article[data-status="failed"] .notice-message')
        return shown[0].text if shown else None

    text = wait(browser, error_text, message="no error notice")
    assert "access" in text.lower(), text
    # The notice can show a moment before the stream closes; the composer is usable again after that.
    wait(browser, lambda d: one(d, "#send-button").is_displayed(), message="the composer is not usable again")
    shot(browser, screenshot_dir, "18-model-error")


def test_reasoning_is_shown_in_a_collapsible_block(browser, base_url):
    needs_fake_bedrock()
    open_page(browser, base_url, "/")
    send(browser, "fake:reasoning")
    assert "Answer after thinking." in wait_answer(browser)
    block = one(browser, "#message-list details.reasoning")
    assert "Let me think." in browser.execute_script("return arguments[0].textContent", block)
    block.find_element(By.TAG_NAME, "summary").click()
    wait(browser, lambda d: block.get_attribute("open") is not None, message="the reasoning block did not open")
