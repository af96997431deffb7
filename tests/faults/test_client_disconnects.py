"""Clients that go away mid-stream, on SQLite and PostgreSQL: the answer goes on without them and is saved once,
a client that comes back can follow it, and the server holds nothing for the clients that left."""
import concurrent.futures
import json
import socket
import uuid

import pytest

from faultkit import LONG, answers, ask_body, assert_healthy_and_clean, databases, fault_server, wait_until, warm_up

CLIENTS = 30 if LONG else 10


@pytest.fixture(scope="module", params=databases())
def server(request, tmp_path_factory):
    with fault_server(tmp_path_factory.mktemp("disconnects"), request.param) as running:
        yield running


@pytest.fixture
def session(server):
    return server.guest()


def send_and_hang_up(server, session, method, path, body=None, read_bytes=200, headers=None):
    """Sends a request on a raw socket, reads the first bytes of the answer, then closes the socket."""
    payload = json.dumps(body).encode() if body is not None else b""
    head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", f"Cookie: {session.cookie}", f"Origin: {server.origin}",
            f"Content-Length: {len(payload)}", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    if body is not None:
        head.append("Content-Type: application/json")
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        received = b""
        while len(received) < read_bytes:
            chunk = connection.recv(4096)
            if not chunk:
                break
            received += chunk
    return received


def test_clients_that_hang_up_mid_stream_leave_complete_answers(server, session):
    before = warm_up(server, session, CLIENTS)
    chats = [str(uuid.uuid4()) for _ in range(CLIENTS)]

    def hang_up(chat_id):
        received = send_and_hang_up(server, session, "POST", "/api/chat", ask_body("fake:slow:30:40", chat_id, str(uuid.uuid4())), read_bytes=400)
        assert received.startswith(b"HTTP/1.1 200"), received[:300]

    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(hang_up, chats))
    # The answers go on without their clients and are saved whole.
    for chat_id in chats:
        wait_until(lambda: [status for status, _ in answers(server, chat_id)] == ["complete"], 60, f"chat {chat_id}'s answer to complete")
        [(_, text)] = answers(server, chat_id)
        assert text.count("word") == 40
    assert_healthy_and_clean(server, session, before)


def test_a_client_that_hangs_up_on_a_resumed_stream_holds_nothing(server, session):
    before = warm_up(server, session, CLIENTS)
    chat_id = str(uuid.uuid4())
    send_and_hang_up(server, session, "POST", "/api/chat", ask_body("fake:slow:30:60", chat_id, str(uuid.uuid4())), read_bytes=300)
    for _ in range(CLIENTS):
        received = send_and_hang_up(server, session, "GET", f"/api/chat/{chat_id}/stream", read_bytes=300)
        assert received.startswith(b"HTTP/1.1 2"), received[:300]
    wait_until(lambda: [status for status, _ in answers(server, chat_id)] == ["complete"], 60, "the answer to complete")
    assert_healthy_and_clean(server, session, before)


def test_a_client_that_hangs_up_before_reading_anything_leaves_one_answer(server, session):
    before = warm_up(server, session, CLIENTS)
    chats = [str(uuid.uuid4()) for _ in range(CLIENTS)]
    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(lambda chat_id: send_and_hang_up(server, session, "POST", "/api/chat", ask_body("fake:slow:10:20", chat_id, str(uuid.uuid4())), read_bytes=0), chats))
    # A request cut before the server read it may never have started an answer; one that started finishes.
    wait_until(lambda: all(len(answers(server, chat_id)) <= 1 and all(status == "complete" for status, _ in answers(server, chat_id)) for chat_id in chats),
               60, "every started answer to complete")
    assert_healthy_and_clean(server, session, before)
