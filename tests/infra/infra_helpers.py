"""Shared helpers for the infrastructure checks (tests/infra/test_infra_*.py).

No Terraform binary or Docker engine is assumed: .tf files are parsed with
python-hcl2, the Dockerfile with a small parser below, and the linters
(checkov, hadolint) run as programs. checkov lives in its own virtual
environment (.venv/checkov) because its pinned dependencies conflict with
pytest 9 and a current botocore; it is created on first use.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import hcl2
from hcl2 import SerializationOptions

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infrastructure"
MODULE = INFRA / "modules" / "chatbot"
ENVIRONMENTS = ("dev", "sandbox")
ROOT = INFRA / "environment"  # the one root configuration the environment folders link to
CHECKOV_REQUIREMENTS = Path(__file__).with_name("requirements-checkov.txt")
CHECKOV_VENV = REPO / ".venv" / "checkov"

_OPTIONS = SerializationOptions(with_comments=False, explicit_blocks=False, strip_string_quotes=True)


@functools.cache
def load_tf(path: Path) -> dict:
    """One .tf file as python-hcl2's dict (strings without their quotes)."""
    with open(path, encoding="utf-8") as f:
        return hcl2.load(f, serialization_options=_OPTIONS)


def label(key: str) -> str:
    """Block labels keep their quotes even with strip_string_quotes."""
    return key.strip('"')


def blocks(path: Path, kind: str) -> dict[str, dict]:
    """`variable`/`output`/`module`/`data`... blocks of one file, by label."""
    out: dict[str, dict] = {}
    for entry in load_tf(path).get(kind, []):
        for name, body in entry.items():
            out[label(name)] = body
    return out


def resources(path: Path) -> dict[tuple[str, str], dict]:
    """Resources (or data sources) of one file keyed by (type, name)."""
    out: dict[tuple[str, str], dict] = {}
    for kind in ("resource",):
        for entry in load_tf(path).get(kind, []):
            for rtype, named in entry.items():
                for rname, body in named.items():
                    out[(label(rtype), label(rname))] = body
    return out


def module_resources() -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    for tf in sorted(MODULE.glob("*.tf")):
        out.update(resources(tf))
    return out


def module_locals() -> dict:
    out: dict = {}
    for tf in sorted(MODULE.glob("*.tf")):
        for entry in load_tf(tf).get("locals", []):
            out.update(entry)
    return out


def module_variables() -> dict[str, dict]:
    return blocks(MODULE / "variables.tf", "variable")


def one(block):
    """Nested blocks come back as one-element lists."""
    if isinstance(block, list):
        assert len(block) == 1, block
        return block[0]
    return block


def expr(value) -> str:
    """An attribute as text, for looking at expressions."""
    return str(value)


# ------------------------------------------------------------------ Dockerfile


def dockerfile_instructions(path: Path) -> list[tuple[str, str, int]]:
    """(INSTRUCTION, arguments, first line) with continuations joined and comments dropped."""
    out: list[tuple[str, str, int]] = []
    pending = ""
    start = 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        keyword, _, args = pending.partition(" ")
        out.append((keyword.upper(), args.strip(), start))
        pending = ""
    return out


def dockerfile_stages(path: Path) -> list[list[tuple[str, str, int]]]:
    """The instructions of each stage, FROM first; global ARGs (before the first FROM) are left out."""
    stages: list[list[tuple[str, str, int]]] = []
    for ins in dockerfile_instructions(path):
        if ins[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(ins)
    return stages


def dockerfile_global_args(path: Path) -> dict[str, str]:
    """ARG NAME=default lines before the first FROM."""
    found: dict[str, str] = {}
    for keyword, args, _ in dockerfile_instructions(path):
        if keyword == "FROM":
            break
        if keyword == "ARG" and "=" in args:
            name, _, value = args.partition("=")
            found[name.strip()] = value.strip()
    return found


def parse_env(args: str) -> dict[str, str]:
    """ENV a=b c="d e" (the key=value form only)."""
    return {m.group(1): m.group(3) if m.group(3) is not None else m.group(4) for m in re.finditer(r'(\w+)=("([^"]*)"|(\S*))', args)}


# ---------------------------------------------------------------------- tools


def venv_tool(name: str) -> Path | None:
    """A console script installed next to the running Python (the project's .venv)."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def _checkov_installed_marker() -> Path:
    return CHECKOV_VENV / ".requirements-installed"


@functools.cache
def ensure_checkov() -> Path:
    """Path of the checkov executable, creating .venv/checkov on first use (about two minutes)."""
    override = os.environ.get("CHECKOV_BIN")
    if override:
        return Path(override)
    binary = CHECKOV_VENV / "bin" / "checkov"
    wanted = CHECKOV_REQUIREMENTS.read_text(encoding="utf-8")
    marker = _checkov_installed_marker()
    if binary.exists() and marker.exists() and marker.read_text(encoding="utf-8") == wanted:
        return binary
    print(f"\nInstalling checkov into {CHECKOV_VENV.relative_to(REPO)} (first run only)...", file=sys.stderr)
    if not (CHECKOV_VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(CHECKOV_VENV)], check=True)
    subprocess.run(
        [str(CHECKOV_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "-r", str(CHECKOV_REQUIREMENTS)],
        check=True,
    )
    marker.write_text(wanted, encoding="utf-8")
    return binary


def checkov_env() -> dict[str, str]:
    """checkov with everything that could reach Prisma Cloud / Bridgecrew switched off."""
    env = dict(os.environ)
    env.update(
        {
            "BC_SKIP_MAPPING": "TRUE",  # no download of the guideline/severity mapping
            "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
            "LOG_LEVEL": "WARNING",  # checkov reads LOG_LEVEL too; the app's value must not leak in
        }
    )
    for key in ("BC_API_KEY", "PRISMA_API_URL", "BC_API_URL"):
        env.pop(key, None)
    return env


