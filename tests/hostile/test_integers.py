"""Every number a client sends, at and beyond the extremes of a 64-bit integer: never a 5xx, never a crash.

Finding 1 of issue 11: `Last-Event-ID: 9223372036854775807` or `?offset=-9223372036854775808` on the stream of a
chat with an answer in progress trapped on integer overflow and took the whole process down.
"""
import contextlib
import json
import threading
import uuid
from urllib.parse import quote

import pytest

from conftest import running_server, wait_until

EXTREMES = [
    "9223372036854775807", "9223372036854775806", "-9223372036854775808", "-9223372036854775807",
    "9223372036854775808", "-9223372036854775809", "18446744073709551616", "-99999999999999999999999999",
    "0", "-1", "-2", "1", "007", "+5", " 5", "1e3", "0x10", "NaN", "", "١٢", "5" * 400,
]


def crashing(values, *crashers):
    """The values; `crashers` are the ones that brought the server down before finding 1 of issue 11 was fixed."""
    return list(values)


@pytest.fixture(scope="module")
def live_chats(tmp_path_factory):
    """A public chat whose answer is being written (the fake model waits between pieces of a 2,000-character
    echo), shared by the tests while it lasts. A server a test brought down is replaced, and a finished answer
    is followed by a new one, so every value meets a live server and a run in progress."""
    with contextlib.ExitStack() as stack:
        state = {}

        def get():
            server = state.get("server")
            if server is not None and not server.healthy():
                # A crashing process can take a while to exit (the backtrace): do not hand it to the next test.
                server.process.kill()
                server.process.wait()
            if server is None or server.process.poll() is not None:
                server = state["server"] = stack.enter_context(running_server(tmp_path_factory.mktemp("integers"), fake_delay_ms="150"))
                state.pop("chat", None)
            if "chat" not in state or not answer_in_progress(server, state["chat"]):
                state["chat"] = start_long_answer(server)
            return server, state["chat"]

        yield get


def answer_in_progress(server, chat_id):
    status, _, body = server.request("GET", f"/api/chat/{chat_id}/messages")
    return status == 200 and json.loads(body)["activeRun"]


def start_long_answer(server):
    """Starts an answer in a background thread; returns the chat id once its run is resumable."""
    session = server.guest()
    chat_id = str(uuid.uuid4())

    def ask():
        try:
            session.ask(chat_id=chat_id, text="long story " * 180, visibility="public", timeout=300)
        except Exception:
            pass  # the server went down under a later request: that test reports it

    threading.Thread(target=ask, daemon=True).start()
    wait_until(lambda: answer_in_progress(server, chat_id), 30, "the answer to be in progress")
    return chat_id


def read_some_of_stream(server, path, headers):
    """Opens the resume stream and reads its status (and the body of a non-stream answer). A stream is not read:
    resuming after an id beyond the last event rightly waits, silent, for events that will never come."""
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        if response.status == 200:
            assert response.getheader("Content-Type", "").startswith("text/event-stream")
            return response.status, b""
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("value", crashing(EXTREMES, "9223372036854775807"))
def test_last_event_id_at_any_value_never_fails_or_crashes(live_chats, value):
    server, chat_id = live_chats()
    # Anonymous on purpose: a public chat's stream needs no session. Sent as UTF-8 bytes, as a hostile client would.
    status, body = read_some_of_stream(server, f"/api/chat/{chat_id}/stream", {"Last-Event-ID": value.encode()})
    assert status in (200, 204, 400), (status, body)
    server.assert_alive()


@pytest.mark.parametrize("value", crashing(EXTREMES, "-9223372036854775808"))
def test_offset_at_any_value_never_fails_or_crashes(live_chats, value):
    server, chat_id = live_chats()
    status, body = read_some_of_stream(server, f"/api/chat/{chat_id}/stream?offset={quote(value)}", {})
    assert status in (200, 204, 400), (status, body)
    server.assert_alive()


@pytest.mark.parametrize("value", EXTREMES)
def test_history_limit_at_any_value_answers_a_page_or_400(server, session, value):
    status, _, body = session.request("GET", f"/api/history?limit={quote(value)}")
    assert status in (200, 400), (status, body)
    if status == 200:
        page = json.loads(body)
        assert len(page["chats"]) <= 100


JSON_NUMBERS = ["9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "1e-400",
                "123456789012345678901234567890123456789", "0.1e99999", "-0", "1" * 5000]


@pytest.mark.parametrize("number", JSON_NUMBERS)
def test_json_numbers_of_any_size_in_every_body_are_answered_without_a_5xx(server, session, number):
    chat_id = str(uuid.uuid4())
    bodies = [
        ("POST", "/api/chat", f'{{"id": "{chat_id}", "message": {{"id": "{uuid.uuid4()}", "role": "user", "parts": [{{"type": "text", "text": "hi", "n": {number}}}]}}, "extra": {number}}}'),
        ("POST", "/api/chat", f'{{"id": {number}}}'),
        ("POST", "/api/chat", f'{{"id": "{chat_id}", "message": {{"id": "{uuid.uuid4()}", "role": "user", "parts": [{{"type": "text", "text": {number}}}]}}}}'),
        ("PATCH", "/api/vote", f'{{"chatId": "{chat_id}", "messageId": {number}, "type": "up"}}'),
        ("PATCH", f"/api/chat/{chat_id}/visibility", f'{{"visibility": {number}}}'),
        ("POST", "/api/auth/login", f'{{"email": {number}, "password": {number}}}'),
        ("POST", "/api/auth/register", f'{{"email": "n{uuid.uuid4().hex[:8]}@example.com", "password": "long enough password", "age": {number}}}'),
    ]
    for method, path, body in bodies:
        status, _, answer = session.request(method, path, body=body.encode(), headers={"Content-Type": "application/json"})
        assert status < 500, (method, path, body[:200], status, answer[:300])
    server.assert_alive()
