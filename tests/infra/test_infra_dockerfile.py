"""The Dockerfile and .dockerignore, without a Docker engine.

Checks the instructions against the app's facts, runs the HEALTHCHECK command
against a local HTTP server, and, when the release binary has been built
(CHATBOT_BIN, as scripts/test sets it), checks that the runtime image provides
every shared library the binary links.
"""

from __future__ import annotations

import fnmatch
import http.server
import json
import os
import re
import subprocess
import threading
from pathlib import Path

import pytest

import infra_contract as contract
from infra_helpers import REPO, dockerfile_global_args, dockerfile_instructions, dockerfile_stages, parse_env

DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"


# The runtime image is the last stage (what `docker build` builds by default).
BUILD, TEST, RUNTIME = 0, 1, -1
DIGEST = r"(@sha256:[0-9a-f]{64})?"


def stage(index: int):
    return dockerfile_stages(DOCKERFILE)[index]


def args_of(instructions, keyword: str) -> list[str]:
    return [a for k, a, _ in instructions if k == keyword]


def test_stages_swift_6_build_tests_and_ubuntu_runtime():
    stages = dockerfile_stages(DOCKERFILE)
    assert [s[0][1] for s in stages] == ["${SWIFT_IMAGE} AS build", "build AS test", "${RUNTIME_IMAGE} AS runtime"]
    images = dockerfile_global_args(DOCKERFILE)
    assert re.fullmatch(r"swift:6\.\d+(\.\d+)?-noble" + DIGEST, images["SWIFT_IMAGE"]), images
    assert re.fullmatch(r"ubuntu:noble" + DIGEST, images["RUNTIME_IMAGE"]), images


def test_base_images_can_be_pinned_by_digest():
    """The tags stay readable; scripts/pin-base-images adds (or refreshes) each tag's digest."""
    script = REPO / "scripts" / "pin-base-images"
    assert script.is_file() and os.access(script, os.X_OK)
    text = script.read_text(encoding="utf-8")
    assert "docker buildx imagetools inspect" in text
    for name in ("SWIFT_IMAGE", "RUNTIME_IMAGE"):
        assert name in text
    subprocess.run(["bash", "-n", str(script)], check=True)
    # The script's rewrite keeps what the stages test accepts.
    example = "swift:6.3-noble@sha256:" + "a" * 64
    assert re.fullmatch(r"swift:6\.\d+(\.\d+)?-noble" + DIGEST, example)


def test_build_runs_the_exact_release_command_with_a_cache_mount():
    runs = args_of(stage(BUILD), "RUN")
    (build,) = [r for r in runs if contract.BUILD_COMMAND in r]
    assert build.startswith("--mount=type=cache,") and "target=/build/.build" in build
    # Staging happens in the same step: the cache mount is gone afterwards.
    assert "/staging/chatbot" in build and "swift-backtrace-static" in build


def test_test_sources_are_copied_after_the_release_build():
    build_stage = stage(BUILD)
    copies = args_of(build_stage, "COPY")
    assert not any(c.startswith(("Tests", "Benchmarks", "./Tests")) for c in copies), "a test edit must not invalidate the release build"
    test_stage = args_of(stage(TEST), "COPY")
    assert "Tests ./Tests" in test_stage and "Benchmarks ./Benchmarks" in test_stage
    # The manifest's targets outside Sources/ only need their folders to exist for the release build.
    manifest = (REPO / "Package.swift").read_text(encoding="utf-8")
    mkdirs = " ".join(r for r in args_of(build_stage, "RUN") if r.startswith("mkdir -p"))
    for path in re.findall(r'path:\s*"([^"]+)"', manifest):
        if not path.startswith("Sources"):
            assert path in mkdirs.split(), f"{path} must exist (mkdir -p) before the release build"


def test_runtime_image_has_only_runtime_packages():
    runs = " ".join(args_of(stage(RUNTIME), "RUN"))
    assert "--no-install-recommends" in runs
    assert "rm -rf /var/lib/apt/lists/*" in runs
    for package in ("ca-certificates", "tzdata"):
        assert re.search(rf"\b{package}\b", runs), package
    for forbidden in ("swift", "build-essential", "curl", "libcurl"):
        assert not re.search(rf"\s{forbidden}(\s|$)", runs), f"{forbidden} does not belong in the runtime image"


def test_runtime_layout_user_port_and_entrypoint():
    runtime = stage(RUNTIME)
    assert args_of(runtime, "WORKDIR") == ["/app"]
    copies = args_of(runtime, "COPY")
    assert "--from=build /staging/ /app/" in copies
    assert "Public/ /app/Public/" in copies
    users = args_of(runtime, "USER")
    assert len(users) == 1 and users[0].split(":")[0].isdigit() and users[0].split(":")[0] != "0", "numeric non-root user"
    assert args_of(runtime, "EXPOSE") == [str(contract.PORT)]
    assert json.loads(args_of(runtime, "ENTRYPOINT")[0]) == ["/app/chatbot"]
    assert json.loads(args_of(runtime, "CMD")[0]) == ["serve"]
    # The user's home and data folder exist and belong to it.
    runs = " ".join(args_of(runtime, "RUN"))
    assert "useradd --system --uid 10001" in runs and "chown chatbot:chatbot /app/data" in runs
    # The binary is also on PATH as `chatbot`.
    env = {}
    for args in args_of(runtime, "ENV"):
        env.update(parse_env(args))
    assert env["PATH"].startswith("/app:")


def test_image_environment_is_what_the_app_reads():
    env: dict[str, str] = {}
    for args in args_of(stage(RUNTIME), "ENV"):
        env.update(parse_env(args))
    for name, value in contract.IMAGE_ENV.items():
        assert env.get(name) == value, name
    unknown = set(env) - contract.APP_ENV_VARS - contract.RUNTIME_ENV_VARS
    assert not unknown, f"the image sets variables the app does not read: {unknown}"
    assert not (set(env) & contract.SECRET_ENV_VARS), "no secrets baked into the image"
    assert env["PUBLIC_DIR"] == "/app/Public"


def healthcheck_command() -> list[str]:
    (args,) = args_of(stage(RUNTIME), "HEALTHCHECK")
    cmd = args[args.index("CMD") + 3 :].strip()
    return json.loads(cmd)


def test_healthcheck_targets_the_health_endpoint_without_curl():
    command = healthcheck_command()
    assert command[:2] == ["/bin/bash", "-c"]
    assert contract.HEALTH_PATH in command[2]
    assert "${PORT" in command[2], "follow the port the server was told to use"


class _Handler(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):  # noqa: N802 (http.server's naming)
        code = self.server.status if self.path == contract.HEALTH_PATH else 404  # type: ignore[attr-defined]
        body = json.dumps({"status": "healthy" if code == 200 else "unhealthy"}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("status, healthy", [(200, True), (503, False)])
def test_healthcheck_command_really_works(status, healthy):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.status = status  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PORT": str(server.server_address[1])}
        result = subprocess.run(healthcheck_command(), env=env, timeout=10, capture_output=True)
        assert (result.returncode == 0) == healthy, result.stderr
    finally:
        server.shutdown()
        server.server_close()


def test_healthcheck_fails_when_nothing_listens():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connection refused
        result = subprocess.run(healthcheck_command(), env={"PATH": os.environ.get("PATH", ""), "PORT": str(port)}, timeout=10, capture_output=True)
    assert result.returncode != 0


# --------------------------------------------------------------- build context


def dockerignore_excludes(path: str) -> bool:
    """Docker's rule: the last matching pattern wins; a pattern matching a parent matches the path."""
    patterns = []
    for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            patterns.append(line)
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pat = pattern[1:] if negate else pattern
        regex = re.escape(pat).replace(r"\*\*/", "(.*/)?").replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
        if any(re.fullmatch(regex, prefix) for prefix in prefixes):
            excluded = not negate
    return excluded


def test_dockerignore_keeps_what_the_build_copies_and_drops_the_rest():
    sources = []
    for keyword, args, _ in dockerfile_instructions(DOCKERFILE):
        if keyword == "COPY" and not args.startswith("--from"):
            sources += args.split()[:-1]
    assert sources, "no COPY from the context?"
    for source in sources:
        source = source.rstrip("/")
        if "*" in source:
            continue
        assert not dockerignore_excludes(source), f"{source} is copied but .dockerignore excludes it"
        assert not dockerignore_excludes(source + "/x.swift"), f"{source}/ contents are excluded"
    for secret_or_bulk in (".git/config", ".build/release/chatbot", ".venv/bin/python", "infrastructure/dev/terraform.tfvars", "infrastructure/dev/terraform.tfstate", "data/chatbot.sqlite", "Sources/App/.build/x", "docs/aws-deployment.md"):
        assert dockerignore_excludes(secret_or_bulk), f"{secret_or_bulk} would be sent to the Docker daemon"


def test_everything_copied_from_the_context_exists():
    """Docker fails on a missing COPY source; every target the manifest names must be there too."""
    for keyword, args, _ in dockerfile_instructions(DOCKERFILE):
        if keyword != "COPY" or args.startswith("--from"):
            continue
        for source in args.split()[:-1]:
            if "*" in source:
                assert list(REPO.glob(source)), source
            else:
                assert (REPO / source).exists(), f"COPY {source}: not in the repository"
    # SwiftPM needs every target's directory, including tests and benchmarks.
    manifest = (REPO / "Package.swift").read_text(encoding="utf-8")
    copied_dirs = {a.split()[0].rstrip("/").removeprefix("./") for k, a, _ in dockerfile_instructions(DOCKERFILE) if k == "COPY" and not a.startswith("--from")}
    for path in re.findall(r'path:\s*"([^"]+)"', manifest):
        top = path.split("/")[0]
        assert top in copied_dirs, f"target path {path} is not copied into the build stage"


# ------------------------------------------------------------------- libraries

# Shared libraries the ubuntu:noble runtime stage provides: glibc's own, plus the
# packages the Dockerfile installs (libstdc++6, libgcc-s1, zlib1g).
RUNTIME_LIBRARIES = {
    "linux-vdso.so.1",
    "libc.so.6",
    "libm.so.6",
    "libdl.so.2",
    "libpthread.so.0",
    "librt.so.1",
    "libutil.so.1",
    "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1",
    "libstdc++.so.6",
    "libgcc_s.so.1",
    "libz.so.1",
}


def test_release_binary_needs_only_what_the_runtime_image_has():
    binary = os.environ.get("CHATBOT_BIN") or str(REPO / ".build" / "release" / "chatbot")
    if not Path(binary).exists():
        pytest.skip("release binary not built (scripts/test builds it and sets CHATBOT_BIN)")
    output = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    needed = set()
    for line in output.splitlines():
        name = line.strip().split(" ")[0]
        needed.add(Path(name).name)
    extra = {lib for lib in needed if not any(fnmatch.fnmatch(lib, allowed) for allowed in RUNTIME_LIBRARIES)}
    assert not extra, f"the binary links libraries the runtime image lacks: {extra}"
