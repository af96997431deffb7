"""A hundred answers at once through a real server, on SQLite and on PostgreSQL: every one completes, and every
chat holds exactly its question and one complete answer. Correctness under load only; speed is measured by
`scripts/bench duel`, never asserted here.

Runs the binaries named by CHATBOT_BIN and FAKE_BEDROCK_BIN; PostgreSQL through TEST_POSTGRES_URL (scripts/test
starts a throwaway cluster and exports it).
"""
import concurrent.futures
import contextlib
import http.client
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid

import pytest

ANSWERS = 100
FAKE_KEY_ID = "AKIDEXAMPLE"
FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary(name: str, default: str) -> str:
    path = os.path.abspath(os.environ.get(name, default))
    if not os.path.exists(path):
        pytest.fail(f"{name}: {path} does not exist (swift build first)")
    return path


def request(port, method, path, body=None, headers=None, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return connection, response


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def is_healthy(port) -> bool:
    try:
        connection, response = request(port, "GET", "/api/health", timeout=2)
        with contextlib.closing(connection):
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    fake_log = open(logs / "fake.log", "w+")
    fake = subprocess.Popen(
        [binary("FAKE_BEDROCK_BIN", ".build/debug/fake-bedrock"), "--port", "0", "--delay-ms", "1"],
        stdout=subprocess.PIPE, stderr=fake_log, text=True)
    fake_url = fake.stdout.readline().strip()
    assert fake_url.startswith("http"), f"fake-bedrock printed {fake_url!r}"
    port = free_port()
    env = {
        "PATH": os.environ["PATH"], "PORT": str(port), "HOST": "127.0.0.1", "DATA_DIR": str(tmp_path / "data"),
        "LOG_LEVEL": "warning", "MODEL_PROVIDER": "bedrock", "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake_url, "AWS_ACCESS_KEY_ID": FAKE_KEY_ID, "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
        "RATE_LIMIT_GUEST": "1000", "GUEST_LIMIT_PER_ADDRESS": "100000",
    }
    if request.param == "postgresql":
        admin = os.environ.get("TEST_POSTGRES_URL")
        if not admin:
            pytest.fail("TEST_POSTGRES_URL is not set: run through scripts/test, which starts a PostgreSQL cluster")
        database = "load_" + uuid.uuid4().hex[:12]
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {database}"], check=True, capture_output=True)
        parsed = urllib.parse.urlsplit(admin)
        env["POSTGRES_URL"] = urllib.parse.urlunsplit(parsed._replace(path="/" + database))
    server_log = open(logs / "server.log", "w+")
    process = subprocess.Popen([binary("CHATBOT_BIN", ".build/debug/chatbot"), "serve"], env=env, stdout=server_log, stderr=server_log)
    try:
        wait_until(lambda: process.poll() is not None or is_healthy(port), 60, "the server to be healthy")
        assert process.poll() is None, (logs / "server.log").read_text()
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        fake.terminate()
        fake.wait(timeout=10)


def guest_cookie(port) -> str:
    connection, response = request(port, "GET", "/api/auth/guest?redirectUrl=/")
    with contextlib.closing(connection):
        response.read()
        cookie = response.getheader("Set-Cookie")
    assert cookie, f"guest sign-in answered {response.status} without a cookie"
    return cookie.split(";")[0]


def ask(port, cookie, chat_id, message_id, text):
    """Sends one message and reads its whole stream; returns (status, answer text, error chunks, saw [DONE])."""
    body = json.dumps({
        "id": chat_id, "message": {"id": message_id, "role": "user", "parts": [{"type": "text", "text": text}]},
        "selectedChatModel": "global.amazon.nova-2-lite-v1:0", "selectedVisibilityType": "private",
    })
    headers = {"Content-Type": "application/json", "Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"}
    connection, response = request(port, "POST", "/api/chat", body=body, headers=headers, timeout=120)
    with contextlib.closing(connection):
        if response.status != 200:
            return response.status, "", [response.read().decode()], False
        answer, errors, done = [], [], False
        for raw in response:
            line = raw.decode().rstrip("\n")
            if not line.startswith("data: "):
                continue
            data = line[len("data: "):]
            if data == "[DONE]":
                done = True
                continue
            chunk = json.loads(data)
            if chunk.get("type") == "text-delta":
                answer.append(chunk["delta"])
            elif chunk.get("type") == "error":
                errors.append(chunk)
        return 200, "".join(answer), errors, done


def stored_messages(port, cookie, chat_id):
    connection, response = request(port, "GET", f"/api/chat/{chat_id}/messages", headers={"Cookie": cookie})
    with contextlib.closing(connection):
        assert response.status == 200
        return json.loads(response.read())


def test_a_hundred_concurrent_answers_all_complete_and_are_stored_once(server):
    port = server
    cookies = [guest_cookie(port) for _ in range(ANSWERS)]
    questions = [(cookies[i], str(uuid.uuid4()), str(uuid.uuid4()), f"load question number {i}") for i in range(ANSWERS)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=ANSWERS) as pool:
        results = list(pool.map(lambda q: ask(port, *q), questions))

    failures = [(q[3], r) for q, r in zip(questions, results) if r[0] != 200 or r[2] or not r[3]]
    assert not failures, f"{len(failures)} of {ANSWERS} answers failed, e.g. {failures[:3]}"
    for (cookie, chat_id, message_id, text), (_, answer, _, _) in zip(questions, results):
        assert answer == f"You said: {text}"

    for cookie, chat_id, message_id, text in questions:
        # The stream ends when the answer is written; the run's record may close a moment later.
        view = wait_until(lambda: (v := stored_messages(port, cookie, chat_id)) and not v["activeRun"] and v, 30,
                          f"chat {chat_id} to have no active run")
        messages = view["messages"]
        assert [m["role"] for m in messages] == ["user", "assistant"], messages
        assert messages[0]["id"] == message_id
        assert messages[0]["parts"] == [{"type": "text", "text": text}]
        assistant = messages[1]
        assert assistant["metadata"]["status"] == "complete"
        text_parts = [p["text"] for p in assistant["parts"] if p.get("type") == "text"]
        assert "".join(text_parts) == f"You said: {text}"
    assert is_healthy(port)
