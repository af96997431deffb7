"""What the fault suite shares: the hostile suite's server fixture (loaded under its own name, so both suites can run
in one pytest), control of the test PostgreSQL cluster, direct reads of the database, and the count of what the
server process holds open.

Environment: CHATBOT_BIN, FAKE_BEDROCK_BIN as for tests/hostile; TEST_POSTGRES_URL, TEST_POSTGRES_DIR, TEST_POSTGRES_BIN
and TEST_POSTGRES_RUNNER from scripts/lib/postgres.sh (start_test_postgres); FAULTS_LONG=1 for the long variants.
"""
import contextlib
import importlib.util
import json
import os
import sqlite3
import subprocess
import urllib.parse
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("hostile_fixtures", Path(__file__).resolve().parents[1] / "hostile" / "conftest.py")
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)

running_server, wait_until, Session = hostile.running_server, hostile.wait_until, hostile.Session
LONG = os.environ.get("FAULTS_LONG") == "1"
MODEL = hostile.MODEL
# Seconds of model silence before an answer is abandoned (MODEL_IDLE_TIMEOUT; 60 in production).
IDLE_TIMEOUT = 2
FINAL_STATUSES = {"complete", "stopped", "failed"}
# What may stay open after a fault beyond what was open before (`before` is taken after a warm-up as concurrent as the
# test, so the pools already hold what they keep): descriptors the runtime opens lazily (a thread's eventfd), and one
# connections a pool may open on demand (two: CI's final run saw 22 to the fake after a baseline of 20 on a loaded
# machine). Tests repeat single faults three times, so one leak per fault exceeds this.
FD_SLACK = 6
CONNECTION_SLACK = 2
# The fault server's PostgreSQL pool. A pool may grow to its size on demand (after a restart the queued saves, the
# flusher and the new answers all want a connection at once), so the limit on PostgreSQL connections is one full pool
# plus the run-change listener and the supervisor's probe: what a retired pool still held would exceed it.
POOL_SIZE = 8


def databases():
    """SQLite always; PostgreSQL when the test cluster is running."""
    return ["sqlite", "postgresql"] if os.environ.get("TEST_POSTGRES_URL") else ["sqlite"]


def require_postgres():
    if not os.environ.get("TEST_POSTGRES_URL") or not os.environ.get("TEST_POSTGRES_DIR"):
        pytest.fail("this case needs the test PostgreSQL cluster (scripts/lib/postgres.sh start_test_postgres)")


@contextlib.contextmanager
def fault_server(tmp_path, database, extra_env=None):
    # Debug, so the log check at the end of a module sees what operators may turn on while chasing a fault.
    env = {"MODEL_IDLE_TIMEOUT": str(IDLE_TIMEOUT), "LOG_LEVEL": "debug", "DATABASE_POOL_SIZE": str(POOL_SIZE), **(extra_env or {})}
    with running_server(tmp_path, env, postgres=(database == "postgresql")) as server:
        yield server


def ask_body(text, chat_id, message_id):
    return {
        "id": chat_id, "message": {"id": message_id, "role": "user", "parts": [{"type": "text", "text": text}]},
        "selectedChatModel": MODEL, "selectedVisibilityType": "private",
    }


# The database, read directly.

def query(server, sql):
    """Rows of `sql` as lists of strings (PostgreSQL through psql, SQLite through the sqlite3 module)."""
    url = server.env.get("POSTGRES_URL")
    if url:
        result = subprocess.run(["psql", url, "-AtF", "\t", "-c", sql], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        return [line.split("\t") for line in result.stdout.splitlines() if line]
    path = Path(server.env["DATA_DIR"]) / "chatbot.sqlite"
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as connection:
        return [[str(value) for value in row] for row in connection.execute(sql).fetchall()]


def same_id(column, value):
    """A UUID comparison both engines understand: PostgreSQL stores uuid, SQLite upper-case text."""
    return f"lower(CAST({column} AS TEXT)) = '{str(value).lower()}'"


def conversation_faults(server):
    """What is wrong with the saved chats: a question without exactly one answer, an answer still streaming, a
    run still marked running. Empty when every user message has one complete, stopped or failed answer."""
    problems = []
    rows = query(server, "SELECT chat_id, role, status FROM messages ORDER BY chat_id, created_at, id")
    chats = {}
    for chat_id, role, status in rows:
        chats.setdefault(chat_id, []).append((role, status))
    for chat_id, messages in chats.items():
        users = sum(1 for role, _ in messages if role == "user")
        answers = [status for role, status in messages if role == "assistant"]
        if users != len(answers):
            problems.append(f"chat {chat_id}: {users} questions, {len(answers)} answers: {messages}")
        for status in answers:
            if status not in FINAL_STATUSES:
                problems.append(f"chat {chat_id}: an answer is still {status}")
    for (chat_id,) in query(server, "SELECT chat_id FROM generation_runs WHERE status = 'running'"):
        problems.append(f"chat {chat_id}: a run is still running")
    return problems


def assert_conversations_settle(server, timeout=60):
    """Waits until every question has exactly one finished answer and no run is running; fails with what is left."""
    last = []

    def settled():
        nonlocal last
        last = conversation_faults(server)
        return not last

    try:
        wait_until(settled, timeout, "every question to have exactly one finished answer")
    except BaseException:
        raise AssertionError("\n".join(last[:20])) from None


def answers(server, chat_id):
    """(status, text) of each assistant message of a chat, oldest first."""
    rows = query(server, f"SELECT status, parts FROM messages WHERE {same_id('chat_id', chat_id)} AND role = 'assistant' ORDER BY created_at, id")
    result = []
    for status, parts in rows:
        text = "".join(part.get("text", "") for part in json.loads(parts) if isinstance(part, dict))
        result.append((status, text))
    return result


# What the server process holds.

def _socket_inodes(pid):
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith("socket:["):
                inodes.add(target[len("socket:["):-1])
    return inodes


def _connections_to(pid, port):
    """Established TCP connections of the process whose remote port is `port`."""
    inodes = _socket_inodes(pid)
    count = 0
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
                fields = line.split()
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                # 01 is ESTABLISHED; a socket in CLOSE_WAIT (08) the process never closed counts too, as a leak.
                if remote_port == port and fields[3] in ("01", "08") and fields[9] in inodes:
                    count += 1
    return count


def resources(server):
    """Open file descriptors and TCP connections to PostgreSQL and to the fake Bedrock server."""
    pid = server.process.pid
    postgres_url = server.env.get("POSTGRES_URL")
    postgres_port = urllib.parse.urlsplit(postgres_url).port if postgres_url else None
    fake_port = urllib.parse.urlsplit(server.fake_url).port
    return {
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
        "postgres": _connections_to(pid, postgres_port) if postgres_port else 0,
        "fake": _connections_to(pid, fake_port),
    }


def assert_nothing_leaked(server, before, timeout=30):
    """Waits until the process holds no more than before plus the stated slack; fails with the counts."""
    limits = {"fds": before["fds"] + FD_SLACK, "postgres": max(before["postgres"] + CONNECTION_SLACK, POOL_SIZE + 2),
              "fake": before["fake"] + CONNECTION_SLACK}
    now = {}

    def within():
        nonlocal now
        now = resources(server)
        return all(now[key] <= limits[key] for key in limits)

    try:
        wait_until(within, timeout, "open files and connections to return to what they were")
    except BaseException:
        raise AssertionError(f"leak: before {before}, now {now}, allowed {limits}") from None


def warm_up(server, session, answers_at_once=4):
    """Opens what a working server keeps open (pooled connections, the log), so `before` is a fair baseline."""
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(answers_at_once) as pool:
        # Slow enough that all answers and their titles overlap, as the test's will.
        for status, _, _ in pool.map(lambda _: session.ask(text="fake:slow:20:10"), range(answers_at_once)):
            assert status == 200
    return resources(server)


def assert_healthy_and_clean(server, session, before):
    """The checks after every fault: healthy, a new answer works, one answer per question, nothing leaked."""
    server.assert_alive()
    status, body, _ = session.ask(text="are you still there")
    assert status == 200 and b"are you still there" in body, body[-500:]
    assert_conversations_settle(server)
    assert_nothing_leaked(server, before)


def assert_log_holds_no_message_text(server, texts):
    """Faults make servers log more (errors, retries, provider answers): none of it may carry what users wrote or were answered."""
    log = server.log()
    assert len(log.splitlines()) > 10, log
    for text in texts:
        assert text not in log, f"the server log contains message text {text!r}"


class Postgres:
    """The cluster scripts/lib/postgres.sh started: stopped and started in place, on the same port."""

    def __init__(self):
        require_postgres()
        self.url = os.environ["TEST_POSTGRES_URL"]
        self.dir = os.environ["TEST_POSTGRES_DIR"]
        self.port = urllib.parse.urlsplit(self.url).port
        runner = os.environ.get("TEST_POSTGRES_RUNNER", "").split()
        self.pg_ctl = [*runner, os.path.join(os.environ["TEST_POSTGRES_BIN"], "pg_ctl"), "-D", os.path.join(self.dir, "data")]

    def stop(self, mode="fast"):
        subprocess.run([*self.pg_ctl, "-m", mode, "-w", "stop"], check=True, capture_output=True, timeout=60)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300"
        subprocess.run([*self.pg_ctl, "-l", os.path.join(self.dir, "server.log"), "-w", "-t", "60", "-o", options, "start"],
                       check=True, capture_output=True, timeout=90)
        wait_until(lambda: subprocess.run(["psql", self.url, "-Atc", "select 1"], capture_output=True).returncode == 0, 60,
                   "PostgreSQL to answer queries")
