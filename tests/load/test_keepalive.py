"""A model that thinks longer than a client (or a load balancer) waits in silence: keep-alive comments hold the
stream open and the whole answer arrives. Scaled down from the issue's 40 s model and 20 s client: the fake
waits 2.5 s before each event, the client gives up after 1.5 s of silence, the server speaks every 0.3 s.
The control run, with the keep-alive interval above the client's patience, shows the client really gives up.
"""
import http.client
import json
import os
import socket
import subprocess
import time
import uuid

import pytest

FAKE_KEY_ID = "AKIDEXAMPLE"
FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
MODEL = "global.amazon.nova-2-lite-v1:0"
CLIENT_PATIENCE_S = 1.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary(name: str, default: str) -> str:
    path = os.path.abspath(os.environ.get(name, default))
    if not os.path.exists(path):
        pytest.fail(f"{name}: {path} does not exist (swift build first)")
    return path


def healthy(port) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/api/health")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


@pytest.fixture
def slow_model_server(tmp_path):
    """Starts the fake (2.5 s before every event) and returns a function that starts our server with a keep-alive."""
    fake_log = open(tmp_path / "fake.log", "w")
    fake = subprocess.Popen([binary("FAKE_BEDROCK_BIN", ".build/debug/fake-bedrock"), "--port", "0", "--delay-ms", "2500"],
                            stdout=subprocess.PIPE, stderr=fake_log, text=True)
    fake_url = fake.stdout.readline().strip()
    assert fake_url.startswith("http"), f"fake-bedrock printed {fake_url!r}"
    servers = []

    def start(keepalive_seconds: str) -> int:
        port = free_port()
        env = {
            "PATH": os.environ["PATH"], "PORT": str(port), "HOST": "127.0.0.1", "DATA_DIR": str(tmp_path / f"data-{port}"),
            "LOG_LEVEL": "warning", "MODEL_PROVIDER": "bedrock", "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake_url, "AWS_ACCESS_KEY_ID": FAKE_KEY_ID, "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
            "SSE_KEEPALIVE_SECONDS": keepalive_seconds,
        }
        log = open(tmp_path / f"server-{port}.log", "w")
        process = subprocess.Popen([binary("CHATBOT_BIN", ".build/debug/chatbot"), "serve"], env=env, stdout=log, stderr=log)
        servers.append(process)
        deadline = time.monotonic() + 60
        while not healthy(port):
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / f"server-{port}.log").read_text()
            time.sleep(0.05)
        return port

    yield start
    for process in servers:
        process.terminate()
        process.wait(timeout=30)
    fake.terminate()
    fake.wait(timeout=10)


def ask_with_patience(port):
    """A guest asks one question through a client that gives up after CLIENT_PATIENCE_S of silence.
    Returns (answer text, saw [DONE]); raises TimeoutError when the client gave up."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/api/auth/guest?redirectUrl=/")
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    connection.close()

    body = json.dumps({
        "id": str(uuid.uuid4()), "message": {"id": str(uuid.uuid4()), "role": "user", "parts": [{"type": "text", "text": "hm"}]},
        "selectedChatModel": MODEL, "selectedVisibilityType": "private",
    })
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_PATIENCE_S)
    connection.request("POST", "/api/chat", body=body, headers={
        "Content-Type": "application/json", "Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"})
    response = connection.getresponse()
    assert response.status == 200
    answer, done = [], False
    try:
        for raw in response:  # each read waits at most CLIENT_PATIENCE_S
            line = raw.decode().rstrip("\n")
            if line == "data: [DONE]":
                done = True
            elif line.startswith("data: "):
                chunk = json.loads(line[len("data: "):])
                if chunk.get("type") == "text-delta":
                    answer.append(chunk["delta"])
    finally:
        connection.close()
    return "".join(answer), done


def test_a_client_that_waits_less_than_the_model_thinks_still_gets_the_whole_answer(slow_model_server):
    port = slow_model_server("0.3")
    answer, done = ask_with_patience(port)
    assert done
    assert answer == "You said: hm"


def test_without_keep_alive_inside_its_patience_the_same_client_gives_up(slow_model_server):
    port = slow_model_server("15")
    with pytest.raises(TimeoutError):
        ask_with_patience(port)
