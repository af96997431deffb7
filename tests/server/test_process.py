"""The release binary as an operator runs it: start-up time, migrations, health, shutdown."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request



def free_port() -> int:
    # Not imported from conftest: tests/infra has a conftest module too, and the two share one name.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(port: int, timeout: float = 3.0):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None, None


def start(chatbot_bin, env_extra, port):
    env = {"PATH": os.environ["PATH"], "PORT": str(port), "HOST": "127.0.0.1", "LOG_LEVEL": "warning",
           "DATA_DIR": tempfile.mkdtemp(prefix="chatbot-proc-")}
    env.update(env_extra)
    return subprocess.Popen([chatbot_bin, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_healthy(port, deadline_s):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        status, _ = health(port, timeout=0.5)
        if status == 200:
            return True
        time.sleep(0.01)
    return False


def test_starts_on_sqlite_and_is_healthy_quickly(chatbot_bin):
    # Best of three fresh starts (new data folder each time, migrations included). The figure is
    # printed; the bound is 10x the usual ~0.3 s so that only a real regression (say, bcrypt or a
    # network call back on the start-up path) fails it, not a busy machine.
    timings = []
    for _ in range(3):
        port = free_port()
        started = time.monotonic()
        proc = start(chatbot_bin, {}, port)
        try:
            assert wait_healthy(port, 30), proc.stderr.read1().decode() if proc.poll() is not None else "not healthy"
            timings.append(time.monotonic() - started)
            status, body = health(port)
            assert body["status"] == "healthy" and body["database"] == "ok"
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(10)
    print(f"\nexec to healthy (SQLite, fresh data folder, migrations included): {', '.join(f'{t * 1000:.0f}' for t in timings)} ms")
    assert min(timings) < 5.0


def test_sigterm_exits_zero_within_ten_seconds(chatbot_bin):
    port = free_port()
    proc = start(chatbot_bin, {}, port)
    assert wait_healthy(port, 30)
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(10)
    print(f"\nSIGTERM to exit: {(time.monotonic() - sent) * 1000:.0f} ms")
    assert code == 0


def test_production_refuses_to_start_without_auth_secret(chatbot_bin):
    proc = start(chatbot_bin, {"CHATBOT_ENV": "production"}, free_port())
    code = proc.wait(10)
    err = proc.stderr.read().decode()
    assert code != 0
    assert "AUTH_SECRET" in err and "openssl rand" in err


def test_malformed_postgres_url_never_prints_the_password(chatbot_bin):
    proc = start(chatbot_bin, {"POSTGRES_URL": "postgres://admin:hunter2-secret@/nodb"}, free_port())
    code = proc.wait(10)
    out = proc.stdout.read().decode() + proc.stderr.read().decode()
    assert code != 0
    assert "POSTGRES_URL" in out
    assert "hunter2-secret" not in out


def migrate(chatbot_bin, url):
    env = {"PATH": os.environ["PATH"], "POSTGRES_URL": url, "LOG_LEVEL": "warning"}
    return subprocess.run([chatbot_bin, "migrate"], env=env, capture_output=True, text=True, timeout=60)


def test_migrate_twice_and_concurrently_on_postgres(chatbot_bin, cluster):
    env = {"PATH": os.environ["PATH"], "POSTGRES_URL": cluster.url, "LOG_LEVEL": "warning"}
    procs = [subprocess.Popen([chatbot_bin, "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    applied = [o for o, _ in outputs if "Applied" in o]
    assert len(applied) == 1, outputs  # one process did the work, the other found it done
    second = migrate(chatbot_bin, cluster.url)
    assert second.returncode == 0
    assert "up to date" in second.stdout
    assert "postgres@" in second.stdout or "postgresql://" in second.stdout


def test_health_follows_postgres_down_and_back(chatbot_bin, cluster):
    port = free_port()
    proc = start(chatbot_bin, {"POSTGRES_URL": cluster.url}, port)
    try:
        assert wait_healthy(port, 30)
        cluster.stop()
        stopped = time.monotonic()
        status = None
        while time.monotonic() - stopped < 60:
            status, body = health(port)
            if status == 503:
                break
            time.sleep(0.1)
        print(f"\nPostgreSQL stopped -> health 503 after {(time.monotonic() - stopped) * 1000:.0f} ms")
        assert status == 503 and body["status"] == "unhealthy"
        cluster.start()
        restarted = time.monotonic()
        assert wait_healthy(port, 60)
        print(f"PostgreSQL restarted -> health 200 after {(time.monotonic() - restarted) * 1000:.0f} ms")
        assert proc.poll() is None
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
