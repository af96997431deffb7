"""The first run of scripts/run, in the browser: the page is served while the local model is still being prepared
(OPENAI_PREPARING). The model picker says "installing", a message sent meanwhile is refused with a clear notice (and
kept in the composer), and once the model's server answers the picker says so and the same message is answered.

The local model's server is a tiny OpenAI-compatible fake started here, on the port the app was told up front.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from e2e.conftest import free_port, running_stack
from e2e.helpers import css, one, open_page, send, shot, toast_text, wait, wait_answer

ANSWER = "Hello from the local model."


class FakeLocalModel(BaseHTTPRequestHandler):
    """GET /v1/models and a streamed POST /v1/chat/completions, as llama.cpp's server answers them."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path != "/v1/models":
            self.send_error(404)
            return
        body = json.dumps({"object": "list", "data": [{"id": "smollm2", "object": "model"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/v1/chat/completions":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        chunks = [{"choices": [{"delta": {"content": piece}}]} for piece in ("Hello ", "from the ", "local model.")]
        chunks.append({"choices": [{"delta": {}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 5, "completion_tokens": 5}})
        for chunk in chunks:
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")
        self.close_connection = True


@pytest.fixture(scope="module")
def installing_stack(tmp_path_factory):
    """The app pointed at a local model whose server does not run yet; yields (url, start_model_server)."""
    port = free_port()
    started = []

    def start_model_server():
        server = ThreadingHTTPServer(("127.0.0.1", port), FakeLocalModel)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)

    env = {"MODEL_PROVIDER": "openai", "OPENAI_BASE_URL": f"http://127.0.0.1:{port}", "OPENAI_MODEL": "smollm2",
           "OPENAI_MODEL_NAME": "SmolLM2 135M (local)", "OPENAI_PREPARING": "true"}
    try:
        with running_stack(tmp_path_factory, env) as url:
            yield url, start_model_server
    finally:
        for server in started:
            server.shutdown()
            server.server_close()


def test_the_picker_says_installing_a_send_says_so_and_it_works_once_the_model_answers(browser, installing_stack, screenshot_dir):
    url, start_model_server = installing_stack
    open_page(browser, url, "/")
    button = one(browser, ".model-button")
    wait(browser, lambda d: "installing" in button.text, message="the picker does not say installing")
    assert "SmolLM2 135M (local)" in button.text
    assert "still installing" in button.get_attribute("aria-label")
    button.click()
    option = one(browser, ".model-option")
    assert "installing" in option.find_element(By.CSS_SELECTOR, ".model-status").text
    one(browser, ".model-search").send_keys(Keys.ESCAPE)

    send(browser, "Are you there?")
    notice = one(browser, "#chat-notices .notice-error")
    wait(browser, lambda d: "still being prepared" in notice.text)
    assert "The model is still being prepared" in notice.find_element(By.CSS_SELECTOR, ".notice-title").text
    assert "kept in the box" in notice.text
    assert one(browser, "#composer-input").get_attribute("value") == "Are you there?"
    assert not css(browser, "#message-list article.message-assistant")
    shot(browser, screenshot_dir, "local-model-installing")

    start_model_server()
    wait(browser, lambda d: "installing" not in one(d, ".model-button").text, message="the picker still says installing")
    assert "is ready" in toast_text(browser)
    one(browser, "#send-button").click()
    assert ANSWER in wait_answer(browser)
