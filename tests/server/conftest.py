"""Fixtures that run the real release binary and, when needed, a PostgreSQL cluster of the test's own."""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chatbot_bin() -> str:
    path = os.environ.get("CHATBOT_BIN", ".build/release/chatbot")
    if not os.path.exists(path):
        pytest.fail(f"CHATBOT_BIN {path} does not exist: build it with swift build -c release --product chatbot")
    return os.path.abspath(path)


class Cluster:
    """A PostgreSQL server in a temp folder that a test may stop and start at will."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            pytest.fail("PostgreSQL is not installed")
        self.bin = bins[-1]
        self.dir = tempfile.mkdtemp(prefix="chatbot-pgproc-")
        self.port = free_port()
        self.runner = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.runner = ["runuser", "-u", "postgres", "--"]
        subprocess.run(self.runner + [f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres", "--no-sync"],
                       check=True, capture_output=True)
        self.start()
        subprocess.run(["psql", self.admin_url, "-qc", "CREATE DATABASE chatbot"], check=True, capture_output=True)

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/chatbot?sslmode=disable"

    def start(self):
        subprocess.run(self.runner + [f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w", "-o",
                                      f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                       check=True, capture_output=True)

    def stop(self):
        subprocess.run(self.runner + [f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop"], capture_output=True)

    def destroy(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster():
    c = Cluster()
    yield c
    c.destroy()
