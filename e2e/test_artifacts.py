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
