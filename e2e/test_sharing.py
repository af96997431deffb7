"""Sidebar: share a chat (read-only for others), delete one, delete all, collapse, infinite scroll."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from e2e.helpers import (
    chat_id_from_url, click_menu_item, confirm_dialog, css, one, open_chat_menu, open_page, send, shot, wait,
    wait_answer,
)


def start_chat(driver, base_url, text):
    open_page(driver, base_url, "/")
    send(driver, text)
    wait_answer(driver)
    return chat_id_from_url(driver)


def test_a_shared_chat_is_read_only_for_others_and_editable_for_its_owner(new_browser, base_url, screenshot_dir):
    owner = new_browser()
    chat_id = start_chat(owner, base_url, "Share this with friends")
    # Another user cannot see it while it is private.
    other = new_browser()
    other.get(f"{base_url}/chat/{chat_id}")
    wait(other, lambda d: "not found" in d.page_source.lower())
    # The owner makes it public from the sidebar menu.
    open_chat_menu(owner, chat_id)
    shot(owner, screenshot_dir, "06-chat-menu")
    click_menu_item(owner, "visibility-public")
    wait(owner, lambda d: "Public" in one(d, ".visibility-button").text)
    open_page(other, base_url, f"/chat/{chat_id}")
    assert "Share this with friends" in wait_answer(other)
    assert not css(other, "#composer"), "no composer for a reader"
    assert not css(other, '[data-action="upvote"]'), "no votes for a reader"
    assert not css(other, '[data-action="edit"]'), "no edits for a reader"
    assert one(other, ".readonly-banner").is_displayed()
    shot(other, screenshot_dir, "07-shared-read-only")
    # A visitor with no session at all reads it too, without being bounced through reloads.
    stranger = new_browser()
    open_page(stranger, base_url, f"/chat/{chat_id}")
    stranger.execute_script("window.__samePage = true")
    assert "Share this with friends" in wait_answer(stranger)
    wait(stranger, lambda d: "Start a chat" in one(d, "#history-status").text)
    assert stranger.execute_script("return window.__samePage === true")
    assert not css(stranger, "#composer")
    # The owner still has the full view.
    open_page(owner, base_url, f"/chat/{chat_id}")
    wait_answer(owner)
    assert one(owner, "#composer").is_displayed()
    assert one(owner, '[data-action="upvote"]')
    # Back to private from the header's selector: the reader loses access.
    one(owner, ".visibility-button").click()
    one(owner, '.menu [data-action="private"]').click()
    wait(owner, lambda d: "Private" in one(d, ".visibility-button").text)
    other.get(f"{base_url}/chat/{chat_id}")
    wait(other, lambda d: "not found" in d.page_source.lower())


def test_deleting_a_chat_asks_first(browser, base_url, screenshot_dir):
    keep = start_chat(browser, base_url, "keep me")
    doomed = start_chat(browser, base_url, "delete me")
    open_chat_menu(browser, doomed)
    click_menu_item(browser, "delete")
    shot(browser, screenshot_dir, "08-delete-confirmation")
    # Cancel keeps it: the dialog closes and the chat is still listed, here and after a reload.
    one(browser, "dialog[open] .button-outline").click()
    wait(browser, lambda d: not css(d, "dialog[open]"), message="Cancel did not close the dialog")
    assert css(browser, f'.history-item[data-chat-id="{doomed}"]')
    open_page(browser, base_url, f"/chat/{doomed}")
    assert "delete me" in wait_answer(browser)
    wait(browser, lambda d: css(d, f'.history-item[data-chat-id="{doomed}"]'), message="cancelled delete removed the chat")
    open_chat_menu(browser, doomed)
    click_menu_item(browser, "delete")
    confirm_dialog(browser)
    # Deleting the open chat goes to a new chat.
    wait(browser, lambda d: d.current_url.rstrip("/") == base_url)
    open_page(browser, base_url, "/")
    wait(browser, lambda d: css(d, f'.history-item[data-chat-id="{keep}"]'))
    assert not css(browser, f'.history-item[data-chat-id="{doomed}"]')
    browser.get(f"{base_url}/chat/{doomed}")
    wait(browser, lambda d: "not found" in d.page_source.lower())


def test_delete_all_chats(browser, base_url):
    start_chat(browser, base_url, "one")
    start_chat(browser, base_url, "two")
    one(browser, "#delete-all").click()
    confirm_dialog(browser)
    wait(browser, lambda d: d.current_url.rstrip("/") == base_url)
    open_page(browser, base_url, "/")
    wait(browser, lambda d: "appear here" in one(d, "#history-status").text)
    assert not css(browser, ".history-item")


def test_history_loads_more_as_you_scroll(browser, base_url):
    open_page(browser, base_url, "/")
    # 25 chats made through the API from the page (same cookies), faster than typing them.
    browser.set_script_timeout(120)
    browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        (async () => {
          for (let i = 0; i < 25; i++) {
            const response = await fetch('/api/chat', {method: 'POST', headers: {'content-type': 'application/json'},
              body: JSON.stringify({id: crypto.randomUUID(), message: {id: crypto.randomUUID(), role: 'user', parts: [{type: 'text', text: 'chat ' + i}]},
                selectedChatModel: 'global.amazon.nova-2-lite-v1:0', selectedVisibilityType: 'private'})});
            await response.text();
          }
        })().then(done, (e) => done(String(e)));
        """
    )
    # The API pages: 20, then the remaining 5 after the last one seen.
    pages = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        (async () => {
          const first = await (await fetch('/api/history?limit=20')).json();
          const last = first.chats[first.chats.length - 1].id;
          const second = await (await fetch('/api/history?limit=20&ending_before=' + last)).json();
          return [first.chats.length, first.hasMore, second.chats.length, second.hasMore];
        })().then(done, (e) => done(String(e)));
        """
    )
    assert pages == [20, True, 5, False], pages
    open_page(browser, base_url, "/")
    wait(browser, lambda d: len(css(d, ".history-item")) >= 20)
    browser.execute_script("document.getElementById('history').scrollTop = 1e6")
    wait(browser, lambda d: len(css(d, ".history-item")) == 25)
    ids = [el.get_attribute("data-chat-id") for el in css(browser, ".history-item")]
    assert len(ids) == len(set(ids)), "no chat listed twice"
    # The sidebar asked for the history in pages, not all at once.
    requests = browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/api/history'))"
    )
    assert len(requests) >= 2, requests
    assert "limit=20" in requests[0] and "ending_before" not in requests[0], requests
    assert any("ending_before=" in r for r in requests[1:]), requests


def test_the_sidebar_collapses_with_the_keyboard(browser, base_url):
    open_page(browser, base_url, "/")
    sidebar = one(browser, "#sidebar")
    assert sidebar.is_displayed() and sidebar.rect["x"] >= 0
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("b").key_up(Keys.CONTROL).perform()
    wait(browser, lambda d: one(d, "#sidebar-toggle").get_attribute("aria-expanded") == "false")
    wait(browser, lambda d: d.find_element(By.ID, "sidebar").rect["x"] + d.find_element(By.ID, "sidebar").rect["width"] <= 1)
    browser.refresh()
    open_page(browser, base_url, "/")
    assert one(browser, "#sidebar-toggle").get_attribute("aria-expanded") == "false", "remembered"
    one(browser, "#sidebar-toggle").click()
    wait(browser, lambda d: one(d, "#sidebar-toggle").get_attribute("aria-expanded") == "true")
