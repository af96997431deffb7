"""Single sign-on and the cookie check in Chromium: the login page's button, the provider's form, back signed in;
a browser that blocks cookies sees a page saying so instead of a redirect loop."""

import shutil
import tempfile

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def chromium(block_cookies=False):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                     f"--user-data-dir={tempfile.mkdtemp(prefix='sso-chrome-')}"]:
        options.add_argument(argument)
    if block_cookies:
        options.add_experimental_option("prefs", {"profile.default_content_setting_values.cookies": 2})
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    driver_path = shutil.which("chromedriver")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path) if driver_path else Service())
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def browser():
    drivers = []

    def make(**kwargs):
        drivers.append(chromium(**kwargs))
        return drivers[-1]

    yield make
    for driver in drivers:
        driver.quit()


def test_sign_in_through_the_provider_in_the_browser(server, provider, browser):
    url, _ = server
    response = httpx.put(f"{provider}/users/dana", json={"email": "dana@example.com", "email_verified": True})
    assert response.status_code == 204
    driver = browser()
    driver.get(url + "/")
    WebDriverWait(driver, 15).until(lambda d: "/login" in d.current_url)
    driver.find_element(By.ID, "sso-button").click()
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.NAME, "sub"))
    field = driver.find_element(By.CSS_SELECTOR, "input[name=sub]")
    field.send_keys("dana")
    field.submit()
    WebDriverWait(driver, 15).until(lambda d: d.current_url.rstrip("/") == url and d.find_elements(By.ID, "composer"))
    session = driver.execute_script("return fetch('/api/auth/session').then(r => r.json())")
    assert session["user"]["email"] == "dana@example.com"


def test_a_browser_that_blocks_cookies_is_told_so(guest_server, browser):
    url, _ = guest_server
    driver = browser(block_cookies=True)
    driver.get(url + "/")
    WebDriverWait(driver, 15).until(lambda d: "Cookies are needed" in d.page_source)
    assert "cookie-check=1" in driver.current_url
