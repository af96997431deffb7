"""Checks what the app sends to Bedrock against botocore's bedrock-runtime service model, the reference.

The Swift tests compare the Converse request with JSON we wrote ourselves and with the fake's own
validator; both could share our misreading of the API. Here the real `chatbot serve` talks to the fake
Bedrock server through a recording proxy, over conversations that exercise every kind of content the
app sends back (plain turns, reasoning with its signature, after a tool call, on every catalog model), and each
recorded body is validated with botocore's ParamValidator against the operation's input shape: unknown
fields, wrong types and missing required members all fail.

Run: CHATBOT_BIN=.build/debug/chatbot FAKE_BEDROCK_BIN=.build/debug/fake-bedrock .venv/bin/python -m pytest tests/bedrock
"""
import base64
import http.client
import http.cookiejar
import http.server
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid

import pytest

botocore = pytest.importorskip("botocore")
import botocore.session  # noqa: E402
from botocore.validate import ParamValidator  # noqa: E402

FAKE_BIN = os.environ.get("FAKE_BEDROCK_BIN")
CHATBOT_BIN = os.environ.get("CHATBOT_BIN")
pytestmark = pytest.mark.skipif(
    not (FAKE_BIN and CHATBOT_BIN), reason="set CHATBOT_BIN and FAKE_BEDROCK_BIN to the built executables (scripts/test does)")


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


@pytest.fixture(scope="module")
def stack():
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

    def chat(self, chat_id, text, model):
        body = {"id": chat_id, "message": {"id": str(uuid.uuid4()), "role": "user", "parts": [{"type": "text", "text": text}]},
                "selectedChatModel": model, "selectedVisibilityType": "private"}
        request = urllib.request.Request(f"{self.base}/api/chat", data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json", "Origin": self.base})
        with self.opener.open(request, timeout=60) as response:
            stream = response.read().decode()
        assert "data: [DONE]" in stream, stream[-500:]
        return stream


def from_wire(value, shape):
    """The request JSON as botocore's parameters: blobs travel as base64 text and are bytes to the validator.
    Unknown keys are kept, so the validator reports them."""
    if shape is None:
        return value
    if shape.type_name == "structure" and isinstance(value, dict):
        return {key: from_wire(item, shape.members.get(key)) for key, item in value.items()}
    if shape.type_name == "list" and isinstance(value, list):
        return [from_wire(item, shape.member) for item in value]
    if shape.type_name == "map" and isinstance(value, dict):
        return {key: from_wire(item, shape.value) for key, item in value.items()}
    if shape.type_name == "blob" and isinstance(value, str):
        return base64.b64decode(value)
    return value


def validate(path, body):
    """Errors botocore finds in one recorded request ('' when it is valid)."""
    service = botocore.session.get_session().get_service_model("bedrock-runtime")
    parts = path.split("?")[0].split("/")
    assert len(parts) == 4 and parts[1] == "model", path
    operation = {"converse": "Converse", "converse-stream": "ConverseStream"}[parts[3]]
    input_shape = service.operation_model(operation).input_shape
    params = from_wire(json.loads(body), input_shape)
    params["modelId"] = urllib.parse.unquote(parts[2])
    report = ParamValidator().validate(params, input_shape)
    return report.generate_report() if report.has_errors() else ""


def test_validator_catches_what_it_should():
    """The check itself can fail: a misspelt field, a wrong type and a missing member are all reported."""
    good = json.dumps({"messages": [{"role": "user", "content": [{"text": "hi"}]}], "inferenceConfig": {"maxTokens": 10}})
    assert validate("/model/amazon.nova-lite-v1%3A0/converse-stream", good) == ""
    assert "Unknown parameter" in validate("/model/m/converse-stream", good.replace("maxTokens", "max_tokens"))
    assert "Invalid type" in validate("/model/m/converse", good.replace("10", '"10"'))
    assert "Missing required parameter" in validate("/model/m/converse", json.dumps({"messages": [{"content": [{"text": "hi"}]}]}))


def test_every_request_the_app_sends_is_valid_for_botocore(stack):
    base, proxy = stack
    browser = Browser(base)
    catalog = browser.get("/api/models")
    models = [model["id"] for model in catalog["models"]]
    assert catalog["defaultModel"] in models
    # On every catalog model (reasoning settings, system prompts and limits differ by model), a conversation
    # whose history holds what the app replays: text, and reasoning with its signature.
    for model in models:
        chat = str(uuid.uuid4())
        for text in ["hello", "fake:reasoning", "fake:tool", "and once more, with all of that in the history"]:
            browser.chat(chat, text, model)
    with proxy.lock:
        records = list(proxy.records)
    operations = {path.split("/")[-1] for path, _ in records}
    assert "converse-stream" in operations, operations
    assert len(records) >= 4 * len(models), [path for path, _ in records]
    # The last turns really carried history, and signed reasoning went back to at least one model.
    last_turns = [json.loads(body) for path, body in records if b"and once more" in body]
    assert all(len(turn["messages"]) >= 7 for turn in last_turns), [len(turn["messages"]) for turn in last_turns]
    kinds = {key for turn in last_turns for message in turn["messages"] for block in message["content"] for key in block}
    assert {"text", "reasoningContent"} <= kinds, kinds
    problems = {f"{path}: {error}" for path, body in records if (error := validate(path, body))}
    assert not problems, "\n".join(sorted(problems))
    print(f"\n{len(records)} requests to {len(models)} models validated against botocore {botocore.__version__}")
