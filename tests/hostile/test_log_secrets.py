"""The server's whole log, at LOG_LEVEL=trace, never contains a password, a session cookie, AUTH_SECRET, the AWS
secret key, an API key, or what users wrote and were answered (issue 11: "Logs never contain …")."""
import json
import secrets
import uuid

import pytest

from conftest import free_port, running_server

PASSWORD = "Pw-" + secrets.token_hex(8)
WRONG_PASSWORD = "Wrong-" + secrets.token_hex(8)
AUTH_SECRET = "authsecret-" + secrets.token_hex(16)
AWS_KEY_ID = "AKIA" + secrets.token_hex(8).upper()
AWS_SECRET = "awssecret/" + secrets.token_hex(16)
OPENAI_KEY = "sk-" + secrets.token_hex(16)
MESSAGE = "my private message " + secrets.token_hex(8)


@pytest.fixture(scope="module")
def logged_run(tmp_path_factory):
    """Runs every path that handles a secret once, then stops the server (flushing its log); returns what it saw."""
    env = {
        "LOG_LEVEL": "trace", "AUTH_SECRET": AUTH_SECRET, "AWS_ACCESS_KEY_ID": AWS_KEY_ID, "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
        "MODEL_PROVIDER": "auto", "OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}", "OPENAI_MODEL": "local-test-model",
        "OPENAI_API_KEY": OPENAI_KEY,
    }
    seen = {"cookies": []}
    with running_server(tmp_path_factory.mktemp("logs"), env, fake_args=("--access-key-id", AWS_KEY_ID, "--secret-access-key", AWS_SECRET)) as server:
        guest = server.guest()
        seen["cookies"].append(guest.cookie)
        email = f"log-{uuid.uuid4().hex[:8]}@example.com"
        status, headers, body = guest.request("POST", "/api/auth/register", body={"email": email, "password": PASSWORD})
        assert status == 200, body
        seen["cookies"].append(headers["set-cookie"].split(";")[0])
        status, _, body = server.request("POST", "/api/auth/login", body={"email": email, "password": WRONG_PASSWORD}, headers={"Origin": server.origin})
        assert status == 401, body
        status, headers, body = server.request("POST", "/api/auth/login", body={"email": email, "password": PASSWORD}, headers={"Origin": server.origin})
        assert status == 200, body
        cookie = headers["set-cookie"].split(";")[0]
        seen["cookies"].append(cookie)
        from conftest import Session
        user = Session(server, cookie)
        status, stream, chat_id = user.ask(text=MESSAGE)
        assert status == 200 and MESSAGE.encode() in stream, stream[:300]
        # A model that fails: the OpenAI-compatible server is not there, so its key is used and refused.
        status, _, models = server.request("GET", "/api/models")
        ids = [m["id"] for m in json.loads(models)["models"] if m["provider"] != "bedrock"]
        if ids:
            body = {"id": str(uuid.uuid4()), "message": {"id": str(uuid.uuid4()), "role": "user", "parts": [{"type": "text", "text": MESSAGE}]},
                    "selectedChatModel": ids[0], "selectedVisibilityType": "private"}
            user.request("POST", "/api/chat", body=body)
        seen["models"] = ids
        user.request("POST", "/api/auth/logout")
        server.process.terminate()
        server.process.wait(timeout=30)
        seen["log"] = server.log()
    return seen


def test_the_trace_log_is_written_at_all(logged_run):
    """Guards the test itself: an empty log would contain no secrets too."""
    log = logged_run["log"]
    assert "trace" in log.lower() or len(log.splitlines()) > 20, log[:2000]
    assert "/api/auth/login" in log and "/api/chat" in log


SECRETS = [
    ("password", PASSWORD), ("wrong password", WRONG_PASSWORD), ("AUTH_SECRET", AUTH_SECRET), ("AWS secret key", AWS_SECRET),
    ("OpenAI API key", OPENAI_KEY), ("message text", MESSAGE), ("message text's random part", MESSAGE.split()[-1]),
]


@pytest.mark.parametrize("name,secret", SECRETS, ids=[name for name, _ in SECRETS])
def test_the_log_never_contains(logged_run, name, secret):
    assert secret not in logged_run["log"], f"the {name} appears in the server log"


def test_the_log_never_contains_a_session_cookie(logged_run):
    for cookie in logged_run["cookies"]:
        value = cookie.split("=", 1)[1]
        assert value not in logged_run["log"], "a session cookie appears in the server log"
        # Signed tokens are `payload.signature`: neither half may appear either.
        for half in value.split("."):
            if len(half) >= 16:
                assert half not in logged_run["log"], "part of a session cookie appears in the server log"
