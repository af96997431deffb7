"""Hostile-input, fuzz and log suites: each module starts a real server (SQLite in a temporary folder, or a fresh
PostgreSQL database when HOSTILE_POSTGRES=1 and TEST_POSTGRES_URL are set) in front of the fake Bedrock server.

Environment:
  CHATBOT_BIN, FAKE_BEDROCK_BIN   the debug binaries (scripts/test exports them)
  HOSTILE_LONG=1                  the longer variants (more fuzzing examples, bigger floods)
"""
import contextlib
import http.client
import json
import os
import socket
import subprocess
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LONG = os.environ.get("HOSTILE_LONG") == "1"
FAKE_KEY_ID = "AKIDEXAMPLE"
FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
MODEL = "global.amazon.nova-2-lite-v1:0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary(name: str, default: str) -> str:
    path = os.path.abspath(os.environ.get(name, str(REPO / default)))
    if not os.path.exists(path):
        pytest.fail(f"{name}: {path} does not exist (swift build first)")
    return path


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


class Server:
    """A running chatbot: its port, process and log file, and small HTTP helpers."""

    def __init__(self, port, process, log_path):
        self.port = port
        self.process = process
        self.log_path = log_path
        self.origin = f"http://127.0.0.1:{port}"

    def log(self) -> str:
        return Path(self.log_path).read_text(errors="replace")

    def request(self, method, path, body=None, headers=None, timeout=60):
        """One request on a fresh connection; returns (status, headers dict lower-cased, body bytes).
        timeout bounds the whole exchange, not each read: a stream kept open by keep-alive comments would
        otherwise never time out, and a stuck answer would hang the suite instead of failing one test."""
        deadline = time.monotonic() + timeout
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
                headers = {"Content-Type": "application/json", **(headers or {})}
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = bytearray()
            while chunk := response.read1(65536):
                data += chunk
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{method} {path} still streaming after {timeout} s: {bytes(data[-300:])!r}")
                if connection.sock is not None:
                    connection.sock.settimeout(left)
            return response.status, {k.lower(): v for k, v in response.getheaders()}, bytes(data)
        finally:
            connection.close()

    def healthy(self) -> bool:
        try:
            status, _, _ = self.request("GET", "/api/health", timeout=5)
            return status == 200
        except OSError:
            return False

    def assert_alive(self):
        """The process has not exited, health answers 200 and a plain API call works."""
        assert self.process.poll() is None, f"the server exited with {self.process.returncode}:\n{self.log()[-4000:]}"
        wait_until(self.healthy, 30, "the server to answer health with 200")
        status, _, _ = self.request("GET", "/api/models")
        assert status == 200
        assert "Fatal error" not in self.log(), self.log()[-4000:]

    def guest(self) -> "Session":
        status, headers, _ = self.request("GET", "/api/auth/guest?redirectUrl=/")
        cookie = headers.get("set-cookie")
        assert cookie, f"guest sign-in answered {status} without a cookie"
        return Session(self, cookie.split(";")[0])


class Session:
    """A signed-in client: sends its cookie and the Origin header the CSRF check wants."""

    def __init__(self, server: Server, cookie: str):
        self.server = server
        self.cookie = cookie

    def headers(self, extra=None):
        return {"Cookie": self.cookie, "Origin": self.server.origin, **(extra or {})}

    def request(self, method, path, body=None, headers=None, timeout=60):
        return self.server.request(method, path, body=body, headers=self.headers(headers), timeout=timeout)

    def ask(self, chat_id=None, message_id=None, text="Hello there", visibility="private", timeout=120):
        """Sends one message and reads the whole stream; returns (status, body bytes, chat id)."""
        chat_id = chat_id or str(uuid.uuid4())
        body = {
            "id": chat_id,
            "message": {"id": message_id or str(uuid.uuid4()), "role": "user", "parts": [{"type": "text", "text": text}]},
            "selectedChatModel": MODEL, "selectedVisibilityType": visibility,
        }
        status, _, data = self.request("POST", "/api/chat", body=body, timeout=timeout)
        return status, data, chat_id

    def messages(self, chat_id):
        status, _, data = self.request("GET", f"/api/chat/{chat_id}/messages")
        assert status == 200, (status, data[:500])
        return json.loads(data)


@contextlib.contextmanager
def running_server(tmp_path: Path, extra_env=None, fake_delay_ms="1", fake_args=(), postgres=None):
    """postgres: None follows HOSTILE_POSTGRES; True or False chooses. POSTGRES_URL in extra_env reuses that database."""
    logs = tmp_path / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    fake_log = open(logs / "fake.log", "w+")
    fake = subprocess.Popen(
        [binary("FAKE_BEDROCK_BIN", ".build/debug/fake-bedrock"), "--port", "0", "--delay-ms", fake_delay_ms, *fake_args],
        stdout=subprocess.PIPE, stderr=fake_log, text=True)
    process = None
    try:
        fake_url = fake.stdout.readline().strip()
        assert fake_url.startswith("http"), f"fake-bedrock printed {fake_url!r}"
        port = free_port()
        env = {
            "PATH": os.environ["PATH"], "PORT": str(port), "HOST": "127.0.0.1", "DATA_DIR": str(tmp_path / "data"),
            "AUTH_URL": f"http://127.0.0.1:{port}", "PUBLIC_DIR": str(REPO / "Public"),
            "LOG_LEVEL": "info", "MODEL_PROVIDER": "bedrock", "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake_url, "AWS_ACCESS_KEY_ID": FAKE_KEY_ID, "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
            "RATE_LIMIT_GUEST": "100000", "RATE_LIMIT_REGULAR": "100000", "GUEST_LIMIT_PER_ADDRESS": "100000",
            "REGISTER_LIMIT_PER_ADDRESS": "100000",
            **(extra_env or {}),
        }
        if postgres is None:
            postgres = os.environ.get("HOSTILE_POSTGRES") == "1"
        if postgres and "POSTGRES_URL" not in env:
            admin = os.environ.get("TEST_POSTGRES_URL")
            if not admin:
                pytest.fail("HOSTILE_POSTGRES=1 needs TEST_POSTGRES_URL (scripts/lib/postgres.sh start_test_postgres)")
            database = "hostile_" + uuid.uuid4().hex[:12]
            subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {database}"], check=True, capture_output=True)
            env["POSTGRES_URL"] = urllib.parse.urlunsplit(urllib.parse.urlsplit(admin)._replace(path="/" + database))
        log_path = logs / "server.log"
        server_log = open(log_path, "w+")
        process = subprocess.Popen(
            [binary("CHATBOT_BIN", ".build/debug/chatbot"), "serve"], env=env, cwd=tmp_path, stdout=server_log, stderr=subprocess.STDOUT)
        server = Server(port, process, log_path)
        server.env, server.fake_url, server.fake = env, fake_url, fake
        wait_until(lambda: process.poll() is not None or server.healthy(), 60, "the server to be healthy")
        assert process.poll() is None, server.log()
        yield server
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        fake.terminate()
        fake.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("hostile")) as running:
        yield running
        # Whatever a module threw at it, the server is still up and answering at the end.
        running.assert_alive()


@pytest.fixture
def session(server):
    return server.guest()


@pytest.fixture
def fresh_server(tmp_path):
    """A server of its own, for tests that may bring one down (so the failure stays with that test)."""
    with running_server(tmp_path) as running:
        yield running
