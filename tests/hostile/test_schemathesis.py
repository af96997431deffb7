"""schemathesis against a live server with a guest session: no 5xx, and every response (status, content type,
headers, body) matches docs/openapi.json. Bounded for CI (a few dozen examples per operation, at most ~60 s of
fuzzing); HOSTILE_LONG=1 runs many more examples for up to 15 minutes.
"""
import os
import subprocess
import sys
from pathlib import Path

from conftest import LONG, REPO

CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_headers_conformance", "response_schema_conformance",
])


def run_schemathesis(server, session, tmp_path, extra=()):
    executable = Path(sys.executable).with_name("schemathesis")
    command = [
        str(executable), "run", str(REPO / "docs" / "openapi.json"), "--url", server.origin,
        "--checks", CHECKS,
        "--max-examples", "400" if LONG else "25",
        "--max-time", "900" if LONG else "60",
        "--workers", "1", "--request-timeout", "30",
        "--generation-database", "none", "--no-color",
        "--header", f"Cookie: {session.cookie}", "--header", f"Origin: {server.origin}",
        *extra,
    ]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=1800 if LONG else 300,
                            env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    return result


def test_fuzzing_every_operation_finds_no_server_error_and_no_response_outside_the_document(server, tmp_path):
    session = server.guest()
    # A chat with an answer, so some generated ids could hit a real chat and the listings are not all empty.
    status, _, _ = session.ask(text="Something for the fuzzer to find")
    assert status == 200
    result = run_schemathesis(server, session, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    server.assert_alive()


def test_fuzzing_without_a_session_finds_no_server_error(server, tmp_path):
    """Anonymous clients get 401/403/404 envelopes, never a 5xx or an undocumented answer."""
    executable = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(executable), "run", str(REPO / "docs" / "openapi.json"), "--url", server.origin, "--checks", CHECKS,
         "--max-examples", "200" if LONG else "10", "--max-time", "600" if LONG else "30", "--workers", "1",
         "--generation-database", "none", "--no-color", "--phases", "examples,coverage,fuzzing"],
        cwd=tmp_path, capture_output=True, text=True, timeout=1200 if LONG else 200)
    assert result.returncode == 0, (result.stdout + result.stderr)[-20000:]
    server.assert_alive()
