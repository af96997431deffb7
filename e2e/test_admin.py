"""The admin page: an administrator (ADMIN_EMAILS) finds it in the user menu, sees a user and disables them."""

import os
import subprocess
import uuid

import pytest

from e2e.conftest import binary, running_stack
from e2e.helpers import css, one, open_page, shot, wait

ADMIN = "admin-e2e@example.com"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def admin_base_url(tmp_path_factory):
    """A server of its own, whose ADMIN_EMAILS names the administrator; the operator made that account with
    `chatbot set-password` (an administrator's address cannot register itself)."""
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("needs a server the suite starts itself, with ADMIN_EMAILS set")

    def create_admin(env):
        command = [binary("CHATBOT_BIN", ".build/release/chatbot"), "set-password", "--email", ADMIN]
        made = subprocess.run(command, input=PASSWORD + "\n", env=env, capture_output=True, text=True, timeout=120)
        assert made.returncode == 0 and "Created" in made.stdout, made.stdout + made.stderr

    with running_stack(tmp_path_factory, {"ADMIN_EMAILS": ADMIN}, before_start=create_admin) as url:
        yield url


def register(driver, base_url, email, page="register"):
    driver.get(f"{base_url}/{page}")
    one(driver, "#email").send_keys(email)
    one(driver, "#password").send_keys(PASSWORD)
    one(driver, "#auth-submit").click()
    wait(driver, lambda d: d.current_url.rstrip("/") == base_url, message=f"{email} not signed in through /{page}")
    open_page(driver, base_url, "/")


def user_row(driver, email):
    rows = css(driver, f'#users-body tr[data-email="{email}"]')
    return rows[0] if rows else None


def test_an_admin_sees_a_user_and_disables_them(new_browser, admin_base_url, screenshot_dir):
    user, admin = new_browser(), new_browser()
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.com"
    register(user, admin_base_url, email)
    assert not user.execute_script("return document.getElementById('app').dataset.admin"), "a user is offered the admin page"

    register(admin, admin_base_url, ADMIN, page="login")
    one(admin, "#user-button").click()
    one(admin, '.menu [data-action="admin"]').click()
    wait(admin, lambda d: d.current_url.endswith("/admin") and d.execute_script("return document.getElementById('admin')?.dataset.ready === 'true'"))
    row = wait(admin, lambda d: user_row(d, email), message="the new user is not listed")
    assert row.get_attribute("data-state") == "active"
    assert "password" in row.text
    shot(admin, screenshot_dir, "30-admin-users")

    row.find_element("css selector", '[data-action="disable"]').click()
    wait(admin, lambda d: (user_row(d, email) or row).get_attribute("data-state") == "disabled", message="the user was not disabled")
    wait(admin, lambda d: any(email in entry.text for entry in css(d, '#audit-body tr[data-action="disable_user"]')), message="no audit entry")

    # Their session ended: the next page load signs them in as a new guest instead.
    open_page(user, admin_base_url, "/")
    wait(user, lambda d: one(d, "#user-label").text == "Guest", message="the disabled user is still signed in")
