"""Bodies built to hurt: too large, nested deep, not UTF-8, and text that is short in characters but huge in bytes."""
import json
import socket
import uuid

import pytest

from conftest import LONG

WRITES = [("POST", "/api/chat"), ("PATCH", "/api/vote"), ("POST", "/api/auth/login"), ("POST", "/api/auth/register"),
          ("PATCH", "/api/chat/00000000-0000-4000-8000-000000000000/visibility")]


def chat_body(text, chat_id=None):
    return {"id": chat_id or str(uuid.uuid4()), "message": {"id": str(uuid.uuid4()), "role": "user", "parts": [{"type": "text", "text": text}]},
            "selectedChatModel": "global.amazon.nova-2-lite-v1:0", "selectedVisibilityType": "private"}


@pytest.mark.parametrize("method,path", WRITES)
def test_a_body_over_the_limit_is_refused_with_413(server, session, method, path):
    body = json.dumps({"id": str(uuid.uuid4()), "padding": "x" * (1_048_576 + 10)}).encode()
    status, _, answer = session.request(method, path, body=body, headers={"Content-Type": "application/json"})
    assert status == 413, (status, answer[:300])
    assert json.loads(answer)["code"].startswith("too_large:")
    server.assert_alive()


def test_a_body_that_lies_about_its_length_is_refused_and_the_server_stays_up(server, session):
    """Content-Length far larger than the limit, and a body that never comes: refused without waiting for it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall((f"POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nOrigin: {server.origin}\r\nCookie: {session.cookie}\r\n"
                   "Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{").encode())
        reply = s.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413") or reply.startswith(b"HTTP/1.1 400") or reply == b"", reply[:200]
    server.assert_alive()


@pytest.mark.parametrize("depth", [1_000, 100_000] + ([1_000_000] if LONG else []))
@pytest.mark.parametrize("shape", ["array", "object", "in_parts"])
def test_deeply_nested_json_is_refused_without_a_crash(server, session, depth, shape):
    if shape == "array":
        body = "[" * depth + "]" * depth
    elif shape == "object":
        body = '{"a":' * depth + "1" + "}" * depth
    else:
        # Inside message parts, which are kept as free-form JSON values.
        nested = "[" * depth + "]" * depth
        body = json.dumps(chat_body("hi")).replace('"parts": [', f'"parts": [{{"type": "text", "text": "hi", "x": {nested}}}, ', 1)
    for method, path in WRITES:
        status, _, answer = session.request(method, path, body=body.encode(), headers={"Content-Type": "application/json"})
        assert status < 500, (method, path, shape, depth, status, answer[:300])
    server.assert_alive()


INVALID_UTF8 = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80", b"a\x00b"]


@pytest.mark.parametrize("raw", INVALID_UTF8, ids=[r.hex() for r in INVALID_UTF8])
def test_invalid_utf8_in_bodies_paths_queries_and_headers_is_refused_without_a_5xx(server, session, raw):
    body = json.dumps(chat_body("PLACEHOLDER")).encode().replace(b"PLACEHOLDER", raw)
    status, _, answer = session.request("POST", "/api/chat", body=body, headers={"Content-Type": "application/json"})
    assert status < 500, (status, answer[:300])
    login = b'{"email": "a' + raw + b'@example.com", "password": "p' + raw + b'assword123"}'
    status, _, answer = session.request("POST", "/api/auth/login", body=login, headers={"Content-Type": "application/json"})
    assert status < 500, (status, answer[:300])
    # Raw bytes in the request line and a header, past any client library's escaping.
    for target in [b"/api/chat/" + raw + b"/messages", b"/api/history?ending_before=" + raw, b"/api/vote?chatId=" + raw]:
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
            s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + session.cookie.encode()
                      + b"\r\nX-Note: " + raw + b"\r\nLast-Event-ID: " + raw + b"\r\nConnection: close\r\n\r\n")
            reply = s.recv(4096)
        assert not reply.startswith(b"HTTP/1.1 5"), (target, reply[:300])
    server.assert_alive()


def test_a_combining_mark_flood_is_over_the_length_limit(server, session):
    """'a' and 150,000 U+0301: one grapheme cluster, 300 KB. The limit must count a unit that bounds bytes."""
    status, answer, chat_id = session.ask(text="a" + "\u0301" * 150_000)
    assert status == 400, (status, answer[:300])
    assert json.loads(answer)["code"] == "bad_request:chat"
    server.assert_alive()


def test_a_title_never_grows_past_its_limit_in_bytes(server, session):
    """Just under the message limit in scalars, every one a combining mark: the title stays small in bytes."""
    status, answer, chat_id = session.ask(text="a" + "\u0301" * 1_998)
    assert status == 200, (status, answer[:300])
    title = session.messages(chat_id)["chat"]["title"]
    assert len(title.encode()) <= 1_000, len(title.encode())
    server.assert_alive()


def test_many_combining_marks_inside_the_limit_answer_normally(server, session):
    status, answer, chat_id = session.ask(text="e\u0301" * 100)
    assert status == 200, answer[:300]
    view = session.messages(chat_id)
    assert [m["role"] for m in view["messages"]] == ["user", "assistant"]
    server.assert_alive()
