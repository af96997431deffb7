"""Fixtures of the single sign-on tests: oidc-provider-mock and a chatbot server configured for it."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout}s")


@pytest.fixture(scope="module")
def provider():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url + "/.well-known/openid-configuration", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def start_server(extra):
    binary = os.environ.get("CHATBOT_BIN", str(REPO / ".build/debug/chatbot"))
    if not Path(binary).exists():
        pytest.fail(f"CHATBOT_BIN: {binary} does not exist; build it first (swift build)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ, "PORT": str(port), "HOST": "127.0.0.1", "CHATBOT_ENV": "development", "AUTH_URL": url,
        "PUBLIC_DIR": str(REPO / "Public"), "DATA_DIR": tempfile.mkdtemp(prefix="sso-data-"), "MODEL_PROVIDER": "bedrock",
        "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret-example",
        **extra,
    }
    env.pop("POSTGRES_URL", None)
    log = tempfile.NamedTemporaryFile(prefix="sso-chatbot-", suffix=".log", delete=False)
    process = subprocess.Popen([binary, "serve"], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(url + "/api/health", process)
        yield url, log.name
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(provider):
    """Guests off, SSO through the mock provider, only example.com addresses."""
    yield from start_server({
        "OIDC_ISSUER": provider, "OIDC_CLIENT_ID": "chatbot", "OIDC_CLIENT_SECRET": "client-secret", "OIDC_NAME": "Mock IdP",
        "ALLOWED_EMAIL_DOMAINS": "example.com", "GUESTS_ENABLED": "false",
    })


@pytest.fixture(scope="module")
def guest_server():
    """The defaults: guests on, no SSO."""
    yield from start_server({})


