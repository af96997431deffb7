"""Accounts: register keeps the guest's chats; sign out; sign in; errors on the forms."""

import uuid

from e2e.helpers import chat_id_from_url, css, one, open_page, send, shot, wait, wait_answer

PASSWORD = "correct horse battery"


def history_ids(driver):
    return {el.get_attribute("data-chat-id") for el in css(driver, ".history-item")}


def user_menu(driver):
    one(driver, "#user-button").click()
    return one(driver, ".menu")


def fill_auth_form(driver, email, password):
    one(driver, "#email").clear()
    one(driver, "#email").send_keys(email)
    one(driver, "#password").clear()
    one(driver, "#password").send_keys(password)
    one(driver, "#auth-submit").click()


def test_register_keeps_guest_chats_then_logout_and_login(browser, base_url, screenshot_dir):
    open_page(browser, base_url, "/")
    assert one(browser, "#user-label").text == "Guest"
    send(browser, "remember me after I sign up")
    wait_answer(browser)
    chat_id = chat_id_from_url(browser)

    menu = user_menu(browser)
    shot(browser, screenshot_dir, "09-user-menu-guest")
    menu.find_element("css selector", '[data-action="register"]').click()
    wait(browser, lambda d: d.current_url.endswith("/register"))
    shot(browser, screenshot_dir, "10-register")
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.com"
    fill_auth_form(browser, email, "short")
    wait(browser, lambda d: "8 characters" in one(d, "#auth-error").text, message="no short-password error")
    fill_auth_form(browser, email, PASSWORD)
    wait(browser, lambda d: d.current_url.rstrip("/") == base_url)
    open_page(browser, base_url, "/")
    wait(browser, lambda d: one(d, "#user-label").text == email, message="not signed in as the new account")
    wait(browser, lambda d: chat_id in history_ids(d))

    user_menu(browser)
    one(browser, '.menu [data-action="logout"]').click()
    wait(browser, lambda d: d.current_url.rstrip("/") == base_url)
    open_page(browser, base_url, "/")
    wait(browser, lambda d: one(d, "#user-label").text == "Guest")
    wait(browser, lambda d: "appear here" in one(d, "#history-status").text)
    assert chat_id not in history_ids(browser)

    browser.get(f"{base_url}/login")
    fill_auth_form(browser, email, "wrong password!")
    wait(browser, lambda d: one(d, "#auth-error").is_displayed() and one(d, "#auth-error").text)
    shot(browser, screenshot_dir, "11-login-error")
    fill_auth_form(browser, email, PASSWORD)
    wait(browser, lambda d: d.current_url.rstrip("/") == base_url)
    open_page(browser, base_url, "/")
    wait(browser, lambda d: one(d, "#user-label").text == email, message="not signed in as the new account")
    wait(browser, lambda d: chat_id in history_ids(d))


def test_registering_an_existing_email_says_so(new_browser, base_url):
    first = new_browser()
    first.get(f"{base_url}/register")
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.com"
    fill_auth_form(first, email, PASSWORD)
    wait(first, lambda d: d.current_url.rstrip("/") == base_url)
    second = new_browser()
    second.get(f"{base_url}/register")
    fill_auth_form(second, email, PASSWORD)
    wait(second, lambda d: one(d, "#auth-error").is_displayed() and one(d, "#auth-error").text)
    assert second.current_url.endswith("/register")
