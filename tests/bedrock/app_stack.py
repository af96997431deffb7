"""The real `chatbot serve` wired to the fake Bedrock server through a recording proxy, for the tests that
check what the app sends and streams against published references (botocore, the AI SDK's chunk schema)."""

import http.client
import http.cookiejar
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid

import pytest

FAKE_BIN = os.environ.get("FAKE_BEDROCK_BIN")
CHATBOT_BIN = os.environ.get("CHATBOT_BIN")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordingProxy(http.server.ThreadingHTTPServer):
    """Forwards requests byte for byte (the Host header too, so SigV4 still verifies) and keeps their bodies."""

    daemon_threads = True

    def __init__(self, upstream):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.upstream = urllib.parse.urlsplit(upstream)
        self.records = []
        self.lock = threading.Lock()

    def handle_error(self, request, client_address):
        # The app closing an idle keep-alive connection, or a stopped answer's stream, is not an error of the proxy.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, http.client.IncompleteRead)):
            super().handle_error(request, client_address)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.records.append((self.path, body))
        upstream = http.client.HTTPConnection(self.server.upstream.hostname, self.server.upstream.port, timeout=60)
        upstream.putrequest("POST", self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            upstream.putheader(name, value)
        upstream.endheaders(body)
        response = upstream.getresponse()
        self.send_response_only(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        while chunk := response.read1(65536):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        upstream.close()


@pytest.fixture(scope="session")
def app_stack():
    """(base URL of a running chatbot, the proxy that recorded its Bedrock requests)."""
    if not (FAKE_BIN and CHATBOT_BIN):
        pytest.skip("set CHATBOT_BIN and FAKE_BEDROCK_BIN to the built executables (scripts/test does)")
    fake = subprocess.Popen([FAKE_BIN, "--port", "0"], stdout=subprocess.PIPE, text=True)
    fake_url = fake.stdout.readline().strip()
    assert fake_url.startswith("http://127.0.0.1:"), fake_url
    proxy = RecordingProxy(fake_url)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    port = free_port()
    env = {
        "PATH": os.environ["PATH"], "PORT": str(port), "HOST": "127.0.0.1", "LOG_LEVEL": "warning",
        "DATA_DIR": tempfile.mkdtemp(prefix="chatbot-converse-"), "AUTH_URL": f"http://127.0.0.1:{port}",
        "MODEL_PROVIDER": "bedrock", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": proxy.url, "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "RATE_LIMIT_GUEST": "1000",
    }
    server = subprocess.Popen([CHATBOT_BIN, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=2):
                break
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, "chatbot never became healthy"
            time.sleep(0.1)
    yield base, proxy
    server.terminate()
    server.wait(timeout=10)
    proxy.shutdown()
    fake.terminate()
    fake.wait(timeout=10)


class Browser:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.opener.open(f"{base}/api/auth/guest?redirectUrl=/", timeout=30).read()

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return json.loads(response.read())

    def post(self, path, body):
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json", "Origin": self.base})
        return self.opener.open(request, timeout=60)

    def open_chat(self, chat_id, text, model):
        """The response of a new message, its stream not read yet."""
        return self.post("/api/chat", {
            "id": chat_id, "message": {"id": str(uuid.uuid4()), "role": "user", "parts": [{"type": "text", "text": text}]},
            "selectedChatModel": model, "selectedVisibilityType": "private"})

    def chat(self, chat_id, text, model):
        with self.open_chat(chat_id, text, model) as response:
            stream = response.read().decode()
        assert "data: [DONE]" in stream, stream[-500:]
        return stream
