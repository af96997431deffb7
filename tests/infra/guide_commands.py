"""The shell commands of docs/aws-deployment.md, taken apart and checked.

Every `bash` block and every inline `aws …` / `terraform …` span is split into
simple commands (pipes, `&&`, `;` and `$(…)` substitutions apart), and each
command is checked against what it names:
  - terraform: the subcommand, `-chdir` folders, `-var` names (the root
    configuration's variables) and `terraform output` names (its outputs);
  - aws: the operation and every `--option`, against botocore's service
    models (the models the AWS CLI itself is generated from), plus the CLI's
    own customizations (ecr get-login-password, logs tail, ...);
  - docker and the small shell tools: a known subcommand or program.
awscli itself is not installed: its botocore pin conflicts with the one the
fake Bedrock server is checked against (requirements-dev.txt).
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass

import botocore.session
from botocore import xform_name

from infra_helpers import INFRA, ROOT, blocks

# AWS CLI options valid on every command.
AWS_GLOBAL_OPTIONS = {"--region", "--profile", "--query", "--output", "--no-cli-pager", "--endpoint-url", "--color", "--debug", "--no-paginate"}

# Commands the AWS CLI adds on top of the service APIs (not in botocore), with their options.
AWS_CUSTOMIZATIONS = {
    ("ecr", "get-login-password"): set(),
    ("configure", "export-credentials"): {"--format"},
    ("logs", "tail"): {"--follow", "--since", "--format", "--log-stream-names"},
}

# Options the AWS CLI renames from the API member (awscli/customizations/argrename.py).
AWS_ARGUMENT_RENAMES = {("sns", "subscribe"): {"--notification-endpoint": "--endpoint"}}

TERRAFORM_SUBCOMMANDS = {"init", "plan", "apply", "destroy", "output", "fmt", "validate", "console", "state"}
DOCKER_SUBCOMMANDS = {"build", "tag", "push", "login", "run", "ps", "buildx"}
SHELL_PROGRAMS = {"cd", "cat", "curl", "jq", "openssl", "eval", "echo", "export", "git", "scripts/pin-base-images", "pg_dump"}


@dataclass
class Command:
    words: list[str]
    source: str  # the line it came from, for messages


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def inline_commands(text: str) -> list[str]:
    """`aws …` and `terraform …` spans in the prose (outside code blocks)."""
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    return [span for span in re.findall(r"`([^`\n]+)`", prose) if re.match(r"(aws|terraform) [a-z]", span)]


def _logical_lines(block: str) -> list[str]:
    lines: list[str] = []
    pending = ""
    heredoc_end: str | None = None
    for raw in block.splitlines():
        if heredoc_end is not None:
            if raw.strip() == heredoc_end:
                heredoc_end = None
            continue
        line = pending + raw
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1] + " "
            continue
        pending = ""
        match = re.search(r"<<\s*'?(\w+)'?", line)
        if match:
            heredoc_end = match.group(1)
        lines.append(line)
    return lines


def _substitutions(line: str) -> tuple[str, list[str]]:
    """Replaces each outermost $(…) by a word and returns the inner commands too."""
    inner: list[str] = []
    out = []
    index = 0
    while index < len(line):
        if line.startswith("$(", index):
            depth, start = 1, index + 2
            index += 2
            while index < len(line) and depth:
                if line.startswith("$(", index):
                    depth += 1
                    index += 1
                elif line[index] == "(":
                    depth += 1
                elif line[index] == ")":
                    depth -= 1
                index += 1
            body = line[start : index - 1]
            replaced, nested = _substitutions(body)
            inner.append(replaced)
            inner.extend(nested)
            out.append("SUBSTITUTION")
        else:
            out.append(line[index])
            index += 1
    return "".join(out), inner


def _split_simple(line: str) -> list[list[str]]:
    words = shlex.split(line, comments=True, posix=True)
    commands: list[list[str]] = [[]]
    for word in words:
        if word in ("&&", "||", "|", ";"):
            commands.append([])
        else:
            commands[-1].append(word)
    # Operators glued to words by shlex (`a;b`) are not used in the guide.
    result = []
    for words in commands:
        while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
            words = words[1:]  # leading VAR=value assignments
        if words:
            result.append(words)
    return result


def commands_of(text: str) -> list[Command]:
    found: list[Command] = []
    sources = [line for block in bash_blocks(text) for line in _logical_lines(block)] + inline_commands(text)
    for source in sources:
        if not source.strip() or source.lstrip().startswith("#"):
            continue
        outer, inner = _substitutions(source)
        for piece in [outer, *inner]:
            piece = re.sub(r"(\|\||&&|\|)", r" \1 ", piece)
            for words in _split_simple(piece):
                found.append(Command(words, source))
    return found


@functools.cache
def root_variables() -> set[str]:
    return set(blocks(ROOT / "variables.tf", "variable"))


@functools.cache
def root_outputs() -> set[str]:
    return set(blocks(ROOT / "outputs.tf", "output"))


def check_terraform(words: list[str]) -> list[str]:
    problems = []
    args = words[1:]
    while args and args[0].startswith("-chdir="):
        folder = args[0].split("=", 1)[1].replace("$ENV", "dev")
        if not (INFRA.parent / folder).is_dir():
            problems.append(f"-chdir={folder} does not exist")
        args = args[1:]
    if not args or args[0] not in TERRAFORM_SUBCOMMANDS:
        return problems + [f"unknown terraform subcommand {args[:1]}"]
    sub, rest = args[0], args[1:]
    for arg in rest:
        if arg.startswith("-var="):
            name = arg[len("-var=") :].split("=", 1)[0]
            if name not in root_variables():
                problems.append(f"-var {name}: no such variable")
    if sub == "output":
        names = [a for a in rest if not a.startswith("-")]
        for name in names:
            if name not in root_outputs():
                problems.append(f"terraform output {name}: no such output")
    return problems


@functools.cache
def _service_model(service: str):
    session = botocore.session.get_session()
    try:
        return session.get_service_model(service)
    except Exception:
        return None


def check_aws(words: list[str]) -> list[str]:
    if len(words) < 3:
        return [f"incomplete aws command {words}"]
    service, operation = words[1], words[2]
    options = {w.split("=", 1)[0] for w in words[3:] if w.startswith("--")}
    renames = AWS_ARGUMENT_RENAMES.get((service, operation), {})
    if options & set(renames.values()):
        return [f"aws {service} {operation}: the CLI spells {sorted(options & set(renames.values()))} as {sorted(renames)}"]
    options = {renames.get(option, option) for option in options}
    if (service, operation) in AWS_CUSTOMIZATIONS:
        unknown = options - AWS_CUSTOMIZATIONS[(service, operation)] - AWS_GLOBAL_OPTIONS
        return [f"aws {service} {operation}: unknown options {sorted(unknown)}"] if unknown else []
    model = _service_model(service)
    if model is None:
        return [f"aws {service}: no such service"]
    operations = {xform_name(name, "-"): name for name in model.operation_names}
    if operation not in operations:
        return [f"aws {service} {operation}: no such operation"]
    shape = model.operation_model(operations[operation]).input_shape
    members = {"--" + xform_name(name, "-"): name for name in (shape.members if shape else {})}
    problems = [f"aws {service} {operation}: unknown option {option}" for option in sorted(options - set(members) - AWS_GLOBAL_OPTIONS)]
    for required in shape.required_members if shape else []:
        if "--" + xform_name(required, "-") not in options:
            problems.append(f"aws {service} {operation}: missing required --{xform_name(required, '-')}")
    return problems


def check(command: Command) -> list[str]:
    words = command.words
    program = words[0]
    if program == "terraform":
        return check_terraform(words)
    if program == "aws":
        return check_aws(words)
    if program == "docker":
        return [] if len(words) > 1 and words[1] in DOCKER_SUBCOMMANDS else [f"unknown docker subcommand {words[1:2]}"]
    if program in SHELL_PROGRAMS:
        return []
    return [f"unknown program {program}"]
