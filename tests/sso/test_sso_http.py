"""Single sign-on end to end over HTTP against a real OpenID provider (oidc-provider-mock): discovery,
the authorization code flow with PKCE, JWKS, and the server's refusals.

Environment: CHATBOT_BIN (default .build/debug/chatbot).
"""

import urllib.parse
from pathlib import Path

import httpx
import pytest


def set_user(provider, sub, **claims):
    response = httpx.put(f"{provider}/users/{urllib.parse.quote(sub)}", json=claims)
    assert response.status_code == 204, response.text


def sign_in(server_url, sub, redirect="/"):
    """Runs the flow as a browser would, choosing `sub` on the provider's form. Returns the client and the callback response."""
    client = httpx.Client(base_url=server_url, follow_redirects=False)
    start = client.get("/api/auth/sso", params={"redirectUrl": redirect})
    assert start.status_code == 303, start.text
    authorize = start.headers["location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0] and query["state"][0]
    assert query["scope"] == ["openid email profile"]
    chosen = httpx.post(authorize, data={"sub": sub}, follow_redirects=False)
    assert chosen.status_code in (302, 303), chosen.text
    callback = chosen.headers["location"]
    assert callback.startswith(server_url + "/api/auth/sso/callback?")
    return client, client.get(callback.removeprefix(server_url))


def test_sign_in_provisions_the_user_and_the_callback_cannot_be_replayed(server, provider):
    url, log = server
    set_user(provider, "alice", email="alice@example.com", email_verified=True)
    client, finished = sign_in(url, "alice", redirect="/chat/abc")
    assert finished.status_code == 303, finished.text
    assert finished.headers["location"] == "/chat/abc"
    session = client.get("/api/auth/session").json()
    assert session["user"]["email"] == "alice@example.com"
    assert session["user"]["type"] == "regular"
    # The same callback again (a replayed state and nonce) is refused with a page, not a session.
    replay = httpx.Client(base_url=url, cookies=client.cookies).get(finished.request.url.raw_path.decode())
    assert replay.status_code == 400
    assert "expired or was already used" in replay.text
    # Signing in again finds the same account through the linked identity.
    again, second = sign_in(url, "alice")
    assert second.status_code == 303
    assert again.get("/api/auth/session").json()["user"]["id"] == session["user"]["id"]
    text = Path(log).read_text()
    assert "single sign-on failed" in text
    assert "eyJ" not in text, "no token may reach the log"


@pytest.mark.parametrize(
    ("sub", "claims", "words"),
    [
        pytest.param("bob", {"email": "bob@example.com", "email_verified": False}, "not verified", id="unverified-email"),
        pytest.param("eve", {"email": "eve@elsewhere.org", "email_verified": True}, "domain is not allowed", id="disallowed-domain"),
    ],
)
def test_a_provider_identity_the_policy_refuses_gets_403_and_no_session(server, provider, sub, claims, words):
    url, _ = server
    set_user(provider, sub, **claims)
    client, finished = sign_in(url, sub)
    assert finished.status_code == 403
    assert words in finished.text
    assert client.get("/api/auth/session").json().get("user") is None


def test_a_callback_from_another_browser_is_refused(server, provider):
    url, _ = server
    set_user(provider, "carol", email="carol@example.com", email_verified=True)
    client = httpx.Client(base_url=url, follow_redirects=False)
    authorize = client.get("/api/auth/sso").headers["location"]
    callback = httpx.post(authorize, data={"sub": "carol"}, follow_redirects=False).headers["location"]
    # Without the state cookie of the browser that started it (login CSRF).
    stranger = httpx.get(callback, follow_redirects=False)
    assert stranger.status_code == 400


def test_login_page_shows_the_button_and_guests_are_off(server):
    url, _ = server
    page = httpx.get(url + "/login")
    assert "Sign in with Mock IdP" in page.text
    assert "Continue as guest" not in page.text
    home = httpx.get(url + "/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"].startswith("/login")
