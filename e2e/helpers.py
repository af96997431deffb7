"""Page helpers shared by the browser tests: open a page, send a message, wait for answers."""

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 20


def wait(driver, condition, timeout=TIMEOUT, message=""):
    # Streaming re-renders messages: an element found a moment ago may be gone; just look again.
    return WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException]).until(condition, message)


def open_page(driver, base_url, path="/"):
    driver.get(base_url + path)
    wait(driver, lambda d: d.execute_script("return document.getElementById('app')?.dataset.ready === 'true'"), message=f"app not ready on {path}")


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def one(driver, selector, timeout=TIMEOUT):
    return wait(driver, lambda d: (d.find_elements(By.CSS_SELECTOR, selector) or [None])[0], timeout, f"no element {selector}")


def type_message(driver, text):
    """Types into the composer with real key presses (Shift+Enter for new lines)."""
    box = one(driver, "#composer-input")
    lines = text.split("\n")
    for index, line in enumerate(lines):
        box.send_keys(line)
        if index < len(lines) - 1:
            box.send_keys(Keys.SHIFT, Keys.ENTER)
    return box


def set_message(driver, text):
    """Puts text into the composer at once (for long or exotic text), as if typed."""
    driver.execute_script(
        "const box = document.getElementById('composer-input'); box.value = arguments[0];"
        "box.dispatchEvent(new Event('input', {bubbles: true}));",
        text,
    )


def send(driver, text, keys=True):
    count = len(assistant_messages(driver))
    if keys and len(text) < 200:
        type_message(driver, text).send_keys(Keys.ENTER)
    else:
        set_message(driver, text)
        one(driver, "#send-button").click()
    return count


def assistant_messages(driver):
    return css(driver, "#message-list article.message-assistant")


def user_messages(driver):
    return css(driver, "#message-list article.message-user")


def user_texts(driver):
    return [el.text for el in css(driver, "#message-list article.message-user .user-bubble")]


def wait_answer(driver, previous_count=0, status="complete", timeout=TIMEOUT):
    """Waits until answer number previous_count+1 has the given status; returns its text."""

    def done(d):
        answers = assistant_messages(d)
        if len(answers) > previous_count and answers[-1].get_attribute("data-status") == status:
            return True
        return None

    wait(driver, done, timeout, f"no {status} answer")
    # The answer can be complete a moment before its stream closes; the composer is ready after that.
    wait(driver, lambda d: not d.execute_script("const stop = document.getElementById('stop-button'); return stop && !stop.hidden;"), timeout, "still busy")
    return wait(driver, lambda d: assistant_messages(d)[-1].find_element(By.CSS_SELECTOR, ".message-parts").text or " ", timeout).strip()


def wait_streaming(driver, previous_count=0, min_chars=1):
    def streaming(d):
        answers = assistant_messages(d)
        if len(answers) > previous_count and answers[-1].get_attribute("data-status") == "streaming":
            return len(answers[-1].text) >= min_chars
        return False

    wait(driver, streaming, message="answer never streamed")


def chat_id_from_url(driver):
    url = driver.current_url
    assert "/chat/" in url, url
    return url.rsplit("/chat/", 1)[1].split("?")[0]


def history_titles(driver):
    return [el.text for el in css(driver, "#history .history-title")]


def open_chat_menu(driver, chat_id):
    item = one(driver, f'.history-item[data-chat-id="{chat_id}"]')
    ActionChains(driver).move_to_element(item).perform()
    item.find_element(By.CSS_SELECTOR, ".history-menu-button").click()
    return one(driver, ".menu")


def click_menu_item(driver, action):
    one(driver, f'.menu [data-action="{action}"]').click()


def confirm_dialog(driver):
    one(driver, 'dialog[open] [data-action="confirm"]').click()
    wait(driver, lambda d: not css(d, "dialog[open]"))


def toast_text(driver):
    return wait(driver, lambda d: " ".join(t.text for t in css(d, ".toast")) or None)


def shot(driver, screenshot_dir, name):
    driver.save_screenshot(str(screenshot_dir / f"{name}.png"))
