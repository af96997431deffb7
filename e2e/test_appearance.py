"""Theme, phone width, keyboard reach, friendly error pages, and first-load weight."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from e2e.helpers import css, one, open_page, send, shot, wait, wait_answer


def background(driver):
    return driver.execute_script("return getComputedStyle(document.body).backgroundColor")


def luminance(rgb):
    parts = [int(p) for p in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    return sum(parts) / 3


def bubble_radius(driver):
    return driver.execute_script("return getComputedStyle(document.querySelector('.user-bubble')).borderTopLeftRadius")


def test_dark_mode_is_chosen_and_remembered(browser, base_url, screenshot_dir):
    open_page(browser, base_url, "/")
    assert luminance(background(browser)) > 200
    one(browser, "#user-button").click()
    one(browser, '.menu [data-action="theme-dark"]').click()
    wait(browser, lambda d: d.execute_script("return document.documentElement.dataset.theme") == "dark")
    # The background may fade between themes: wait for the dark end of it.
    wait(browser, lambda d: luminance(background(d)) < 60, message="the page did not turn dark")
    send(browser, "Show me dark mode")
    wait_answer(browser)
    # The messages' styles load with the conversation code on a new chat, and with the page on a stored one.
    assert bubble_radius(browser) == "20px"
    shot(browser, screenshot_dir, "04-dark-mode")
    browser.refresh()
    open_page(browser, base_url, browser.current_url.replace(base_url, ""))
    assert browser.execute_script("return document.documentElement.dataset.theme") == "dark"
    assert bubble_radius(browser) == "20px"
    one(browser, "#user-button").click()
    one(browser, '.menu [data-action="theme-light"]').click()
    wait(browser, lambda d: luminance(background(d)) > 200)


def test_system_theme_follows_the_browser(new_browser, base_url):
    driver = new_browser(dark=True)
    open_page(driver, base_url, "/")
    assert driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
    assert driver.execute_script("return document.documentElement.dataset.theme") == "dark"


def test_phone_width(new_browser, base_url, screenshot_dir):
    phone = new_browser(width=375, height=812)
    open_page(phone, base_url, "/")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 375
    sidebar = one(phone, "#sidebar")
    assert sidebar.rect["x"] + sidebar.rect["width"] <= 0, "the sidebar is a closed sheet"
    shot(phone, screenshot_dir, "12-phone-new-chat")
    send(phone, "Hello from a phone with a rather wordy message that has to wrap nicely")
    wait_answer(phone)
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 375
    shot(phone, screenshot_dir, "13-phone-chat")
    one(phone, "#sidebar-toggle").click()
    wait(phone, lambda d: d.find_element(By.ID, "sidebar").rect["x"] >= 0)
    wait(phone, lambda d: css(d, ".history-item"))
    shot(phone, screenshot_dir, "14-phone-sidebar")
    # Tap the dimmed page beside the sheet to close it.
    ActionChains(phone).move_to_element_with_offset(one(phone, "#sidebar-backdrop"), 160, 0).click().perform()
    wait(phone, lambda d: d.find_element(By.ID, "sidebar").rect["x"] + d.find_element(By.ID, "sidebar").rect["width"] <= 0)


def test_keyboard_reaches_the_composer_and_menus(browser, base_url):
    open_page(browser, base_url, "/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("class") == "skip-link", message="Tab did not reach the skip link")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("id") == "composer-input")
    # Menus open with the keyboard and close with Escape, giving focus back.
    user = one(browser, "#user-button")
    user.send_keys(Keys.ENTER)
    wait(browser, lambda d: "menu-item" in (d.switch_to.active_element.get_attribute("class") or ""))
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("id") == "user-button")
    wait(browser, lambda d: not css(d, ".menu"), message="Escape did not close the menu")


def test_friendly_not_found_page(browser, base_url, screenshot_dir):
    browser.get(f"{base_url}/chat/00000000-0000-4000-8000-000000000000")
    wait(browser, lambda d: "not found" in d.page_source.lower())
    assert one(browser, ".status-actions a").get_attribute("href").rstrip("/") == base_url
    shot(browser, screenshot_dir, "15-not-found")
    browser.get(f"{base_url}/login")
    one(browser, "#email")
    shot(browser, screenshot_dir, "16-login")


def test_first_load_is_light(browser, base_url):
    """A new chat's first load (the page, its CSS, scripts and icons) stays under 100 KB transferred: the artifact
    panel, the answer stream, the messages' styles and the attachments' upload code load on first use. API data (the model catalog, the
    history) is reported beside it, not counted."""
    open_page(browser, base_url, "/")
    wait(browser, lambda d: one(d, ".model-button").text.strip() not in ("", "Model"))
    sizes = browser.execute_script(
        "const all = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];"
        "const api = all.filter((r) => new URL(r.name).pathname.startsWith('/api/'));"
        "const sum = (list) => list.reduce((total, r) => total + r.transferSize, 0);"
        "return {assets: sum(all) - sum(api), api: sum(api), requests: all.length};"
    )
    print(f"first load: {sizes['assets']} bytes of page and assets + {sizes['api']} bytes of API data in {sizes['requests']} requests")
    assert sizes["assets"] < 100_000, sizes
