"""Huge and many headers, and clients that send a request a byte at a time (slow-loris on the head and on the
body): the server answers 4xx or closes, closes slow connections after its timeouts, and keeps serving others.

The server here runs with HTTP_IDLE_TIMEOUT=2 and HTTP_REQUEST_READ_TIMEOUT=3 (defaults 75 and 60) so the suite
is quick; the tests wait for the connection to be closed, never for a fixed time.
"""
import socket
import time

import pytest

from conftest import LONG, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("slow"), {"HTTP_IDLE_TIMEOUT": "2", "HTTP_REQUEST_READ_TIMEOUT": "3"}) as running:
        yield running
        running.assert_alive()


def exchange(server, raw: bytes, timeout=30) -> bytes:
    """Sends raw bytes, returns what the server answers before it closes (b'' when it just closes)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        try:
            s.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass
        received = b""
        try:
            while chunk := s.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
        return received


def status_of(reply: bytes):
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/1.1 ") else None


@pytest.mark.parametrize("size", [100_000, 1_000_000] + ([16_000_000] if LONG else []))
def test_a_huge_header_is_refused_or_the_connection_closed(server, size):
    reply = exchange(server, b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * size + b"\r\nConnection: close\r\n\r\n")
    assert status_of(reply) in (None, 400, 431), reply[:300]
    server.assert_alive()


@pytest.mark.parametrize("count", [1_000, 10_000] + ([200_000] if LONG else []))
def test_many_headers_are_refused_or_the_connection_closed(server, count):
    headers = b"".join(b"X-H%d: v\r\n" % i for i in range(count))
    reply = exchange(server, b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"Connection: close\r\n\r\n")
    assert status_of(reply) in (None, 200, 400, 431), reply[:300]
    server.assert_alive()


def test_a_huge_cookie_and_a_huge_url_are_refused_or_ignored(server):
    for raw in [
        b"GET /api/auth/session HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: chatbot_session=" + b"A" * 70_000 + b"\r\nConnection: close\r\n\r\n",
        b"GET /api/history?limit=" + b"9" * 70_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        b"GET /api/chat/" + b"%ff" * 20_000 + b"/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    ]:
        reply = exchange(server, raw)
        assert status_of(reply) in (None, 200, 400, 401, 404, 414, 431), reply[:300]
    server.assert_alive()


def dribble_until_closed(server, head: bytes, piece: bytes, pieces: int):
    """Sends `head`, then `piece` every 0.5 s; returns True as soon as the server closes the connection."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    try:
        s.sendall(head)
        for _ in range(pieces):
            s.settimeout(0.5)
            try:
                if s.recv(65536) == b"":
                    return True
            except socket.timeout:
                pass
            except ConnectionResetError:
                return True
            try:
                s.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                return True
        return False
    finally:
        s.close()


def test_a_request_head_sent_a_byte_at_a_time_is_cut_off(server):
    closed = dribble_until_closed(server, b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X", 120)
    assert closed, "the server kept a connection whose request head never ended"
    server.assert_alive()


def test_a_request_body_sent_a_byte_at_a_time_is_cut_off(server):
    session = server.guest()
    head = (f"POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nOrigin: {server.origin}\r\nCookie: {session.cookie}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n").encode()
    # Each byte arrives well within the idle timeout, so only a deadline for the whole request stops this.
    closed = dribble_until_closed(server, head, b" ", 120)
    assert closed, "the server kept a connection whose body arrived a byte at a time"
    server.assert_alive()


def test_an_idle_connection_is_closed(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as s:
        assert s.recv(1) == b"", "the server kept a silent connection"


def test_many_slow_clients_do_not_stop_others_being_served(server):
    sockets = []
    try:
        for _ in range(500 if LONG else 200):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sockets.append(s)
        server.assert_alive()
        session = server.guest()
        status, _, _ = session.ask(text="still answering?")
        assert status == 200
    finally:
        for s in sockets:
            s.close()
