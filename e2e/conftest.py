"""Browser tests: start the real server (and the fake Bedrock) once, then drive Chromium.

Environment:
  CHATBOT_BIN        the server binary (default .build/release/chatbot)
  FAKE_BEDROCK_BIN   the fake Bedrock server (default .build/release/fake-bedrock)
  E2E_DATABASE=postgres  give every server the suite starts a fresh database on the PostgreSQL server
                     named by TEST_POSTGRES_URL (scripts/test starts one); the default is SQLite
  POSTGRES_URL       use this PostgreSQL database instead (shared by every server the suite starts)
  E2E_BASE_URL       test an already running server instead of starting one
  E2E_HEADED=1       show the browser window
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

# Selenium Manager must not phone home (no network here); we always pass Debian's chromedriver.
os.environ.setdefault("SE_AVOID_STATS", "true")
os.environ.setdefault("SE_OFFLINE", "true")

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# Slow enough that a test can reload or stop mid-answer, fast enough for a quick suite.
FAKE_DELAY_MS = os.environ.get("E2E_FAKE_DELAY_MS", "40")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} not healthy after {timeout}s")


def binary(env_name, default):
    path = Path(os.environ.get(env_name, REPO / default))
    if not path.exists():
        pytest.exit(f"{env_name}: {path} does not exist; build it first (swift build -c release)", returncode=2)
    return str(path)


def psql(admin_url, sql):
    """Runs one statement as the test cluster's admin, with the psql of the cluster's installation."""
    tool = os.path.join(os.environ["TEST_POSTGRES_BIN"], "psql") if os.environ.get("TEST_POSTGRES_BIN") else (shutil.which("psql") or "psql")
    subprocess.run([tool, admin_url, "-qXc", sql], check=True, capture_output=True, text=True)


@contextlib.contextmanager
def database_env():
    """The server's database settings: a fresh PostgreSQL database with E2E_DATABASE=postgres, else none."""
    if os.environ.get("E2E_DATABASE", "sqlite") == "sqlite" or os.environ.get("POSTGRES_URL"):
        yield {}
        return
    if os.environ["E2E_DATABASE"] != "postgres":
        pytest.exit(f"E2E_DATABASE={os.environ['E2E_DATABASE']}: use sqlite or postgres", returncode=2)
    admin = os.environ.get("TEST_POSTGRES_URL")
    if not admin:
        pytest.exit("E2E_DATABASE=postgres needs TEST_POSTGRES_URL (. scripts/lib/postgres.sh && start_test_postgres)", returncode=2)
    name = f"e2e_{uuid.uuid4().hex[:16]}"
    psql(admin, f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(admin)
    try:
        yield {"POSTGRES_URL": urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))}
    finally:
        psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def running_stack(tmp_path_factory, extra_env=None, before_start=None):
    """Starts fake-bedrock and the server on its own database (see E2E_DATABASE); yields the URL.
    `before_start(env)` runs with the server's environment just before it starts (e.g. an operator command)."""
    with database_env() as database, servers(tmp_path_factory, {**database, **(extra_env or {})}, before_start) as url:
        yield url


@contextlib.contextmanager
def servers(tmp_path_factory, extra_env, before_start=None):
    logs = tmp_path_factory.mktemp("logs")
    processes = []
    try:
        fake_log = open(logs / "fake-bedrock.log", "w")
        fake = subprocess.Popen(
            [binary("FAKE_BEDROCK_BIN", ".build/release/fake-bedrock"), "--port", str(free_port()), "--delay-ms", FAKE_DELAY_MS],
            stdout=subprocess.PIPE, stderr=fake_log, text=True,
        )
        processes.append(fake)
        fake_url = fake.stdout.readline().strip()
        if not fake_url.startswith("http"):
            raise RuntimeError(f"fake-bedrock printed {fake_url!r} instead of its URL")

        port = free_port()
        env = {
            **os.environ,
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "CHATBOT_ENV": "development",
            "AUTH_URL": f"http://127.0.0.1:{port}",
            "PUBLIC_DIR": str(REPO / "Public"),
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake_url,
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            # The suite sends more than a guest's daily allowance.
            "RATE_LIMIT_GUEST": "1000",
            "RATE_LIMIT_REGULAR": "1000",
            # Every browser of the suite starts its guests from 127.0.0.1.
            "GUEST_LIMIT_PER_ADDRESS": "1000", "REGISTER_LIMIT_PER_ADDRESS": "1000",
            **extra_env,
        }
        env.pop("AWS_PROFILE", None)
        env.pop("AWS_SESSION_TOKEN", None)
        # The data folder also holds the generated session secret: always a fresh one (a caller that
        # reads the SQLite database itself passes its own fresh folder).
        env["DATA_DIR"] = extra_env.get("DATA_DIR") or str(tmp_path_factory.mktemp("data"))
        if before_start:
            before_start(env)
        server_log = open(logs / "chatbot.log", "w")
        server = subprocess.Popen([binary("CHATBOT_BIN", ".build/release/chatbot"), "serve"], env=env, cwd=REPO, stdout=server_log, stderr=subprocess.STDOUT)
        processes.append(server)
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, server)
        if env.get("POSTGRES_URL"):
            # Proof the server really runs on PostgreSQL: it migrated this database.
            psql(env["POSTGRES_URL"].split("?")[0], "SELECT 1 FROM schema_migrations LIMIT 1")
        yield url
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if os.environ.get("E2E_SHOW_LOGS"):
            for log in logs.iterdir():
                print(f"--- {log.name}\n{log.read_text()[-5000:]}")


@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    if os.environ.get("E2E_BASE_URL"):
        yield os.environ["E2E_BASE_URL"].rstrip("/")
        return
    with running_stack(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def limited_base_url(tmp_path_factory):
    """A second server where a guest may send one message a day, to see the limit's notice."""
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("needs a server the suite starts itself")
    with running_stack(tmp_path_factory, {"RATE_LIMIT_GUEST": "1"}) as url:
        yield url


def chrome_options(width, height):
    options = webdriver.ChromeOptions()
    if not os.environ.get("E2E_HEADED"):
        options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")  # CI runs as root
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--disable-gpu")
    if width < 500:
        # Desktop Chrome windows cannot be narrower than 500 px: emulate the phone's viewport instead.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1, "touch": True}})
        options.add_argument("--window-size=600,900")
    else:
        options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--force-device-scale-factor=1")
    # Every browser gets its own empty profile: its own cookies, so its own guest user.
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='e2e-chrome-')}")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


@pytest.fixture
def new_browser():
    """Factory: new_browser(width=1280, height=900, dark=False) -> a fresh Chromium (a fresh user)."""
    drivers = []

    def make(width=1280, height=900, dark=False):
        options = chrome_options(width, height)
        if dark:
            options.add_argument("--force-dark-mode")
            options.add_argument("--blink-settings=preferredColorScheme=0")
        driver_path = shutil.which("chromedriver")
        service = Service(executable_path=driver_path) if driver_path else Service()
        driver = webdriver.Chrome(options=options, service=service)
        driver.set_page_load_timeout(30)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


@pytest.fixture
def browser(new_browser):
    return new_browser()


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
