"""docs/aws-deployment.md says what the code does.

The guide is the seed rewritten for this implementation, with ECS Express Mode
beside App Runner: every section and troubleshooting case of the seed is there,
the guide starts with the choice of compute target, and the names it uses
(outputs, variables, environment variables, models, commands) exist. Every
shell command in it is taken apart and checked (guide_commands.py).
"""

from __future__ import annotations

import re
import subprocess

import pytest

import guide_commands
import infra_contract as contract
from infra_helpers import ENVIRONMENTS, MODULE, REPO, ROOT, blocks, module_resources, one

GUIDE = REPO / "docs" / "aws-deployment.md"

SEED_HEADINGS = [
    "Architecture",
    "Infrastructure Directory Structure",
    "Available AI Models",
    "Environment Variables",
    "Prerequisites",
    "Enable Bedrock Model Access",
    "Staged Deployment",
    "Deployment",
    "Phase 1: Base Infrastructure",
    "Phase 3: Enable App Runner Services",
    "Phase 3: Enable ECS Express Mode Services",
    "Phase 4: Update AUTH_URL (Optional)",
    "Verify Deployment",
    "Updating the Application",
    "Multiple Environments",
    "Cost Breakdown",
    "Known Limitations",
    "No External Internet Access",
    "AUTH_URL (Optional)",
    "Health Check Timeout",
    "App Runner Availability Zone Support",
    "Troubleshooting",
    "Bedrock Access Denied",
    "Bedrock Inference Profile Required",
    "Claude Models Access Denied (Marketplace)",
    "AWS Credentials Not Found",
    "Database Connection Failed",
    "Health Check Failing",
    "Docker Build Fails",
    "Destroying Infrastructure",
    "Security Recommendations",
    # Added for issue 10.
    "Which compute target",
    "Moving between App Runner and ECS Express Mode",
    "ECS Express Mode Platform",
    "ECS Task Cannot Pull the Image",
]


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def headings(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^#{1,4}\s+(.+)$", text, flags=re.M)]


def test_every_seed_section_is_there(guide):
    found = headings(guide)
    for heading in SEED_HEADINGS:
        assert heading in found, f"missing section: {heading}"
    assert any(h.startswith("Phase 2") for h in found)
    assert any("Differences from" in h for h in found)
    assert any("UntrustedHost" in h for h in found)


def test_the_guide_starts_with_the_choice_of_compute_target(guide):
    sections = re.findall(r"^## (.+)$", guide, flags=re.M)
    assert sections[0] == "Which compute target"
    choice = guide.split("## Which compute target", 1)[1].split("\n## ", 1)[0]
    # The facts the choice rests on, with their date.
    assert "30 April 2026" in choice and "2026-11-29" in choice
    assert "ECS Express Mode" in choice and "existing" in choice.lower() or "already" in choice
    assert "ecs_express_services" in choice and "apprunner_services" in choice
    # Migration with the same database and secrets.
    migration = choice.split("### Moving between App Runner and ECS Express Mode", 1)[1]
    assert "database" in migration and "secrets" in migration and "AUTH_SECRET" in migration


def test_outputs_the_guide_reads_exist(guide):
    outputs = set(blocks(ROOT / "outputs.tf", "output"))
    used = set(re.findall(r"terraform output(?:\s+-(?:raw|json))?\s+([a-z_]+)", guide))
    assert used, "the guide reads no output?"
    assert used <= outputs, f"the guide uses outputs that do not exist: {used - outputs}"
    assert {"ecr_repository_url", "rds_endpoint", "apprunner_service_urls", "apprunner_service_arns", "deployment_commands", "update_auth_url_commands"} <= used
    assert {"ecs_service_urls", "ecs_service_arns", "ecs_deployment_commands", "ecs_update_auth_url_commands"} <= used


def test_settings_the_guide_tells_you_to_set_exist(guide):
    declared = set(blocks(ROOT / "variables.tf", "variable"))
    # `name = value` in inline code, `#   name = value` lines of shell snippets (tfvars edits),
    # and the lines of hcl blocks (tfvars excerpts).
    named = set(re.findall(r"`([a-z_]+) = [^`]+`", guide))
    named |= set(re.findall(r"^#\s+(?:\(in terraform.tfvars\)\s+)?([a-z_]+)\s+=", guide, flags=re.M))
    for block in re.findall(r"```hcl\n(.*?)```", guide, flags=re.S):
        named |= set(re.findall(r"^\s*([a-z_]+)\s+=", block, flags=re.M))
    hcl_attributes = {"protocol", "path", "interval", "timeout", "healthy_threshold", "unhealthy_threshold", "egress_type", "sid", "actions", "resources", "default"}
    unknown = named - declared - hcl_attributes
    assert not unknown, f"the guide tells you to set variables the environments do not have: {unknown}"


def test_model_table_is_the_catalog(guide):
    """The guide's table, the catalog file and (test_infra_catalog) the IAM policy agree."""
    section = guide.split("## Available AI Models", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| `")]
    listed = [re.match(r"\| `([^`]+)`", line).group(1) for line in table]
    assert listed == contract.CATALOG_MODEL_IDS, "the table lists the catalog, in its order"
    # The seed's list stays documented as the legacy set.
    legacy = section.split("**Legacy models.**", 1)[1].split("\n\n", 1)[0]
    for model in ("us.anthropic.claude-sonnet-4-20250514-v1:0", "us.anthropic.claude-3-5-haiku-20241022-v1:0", "us.anthropic.claude-3-5-sonnet-20241022-v2:0"):
        assert f"`{model}`" in legacy, model


def test_environment_table_covers_every_variable_the_app_reads(guide):
    section = guide.split("## Environment Variables", 1)[1].split("\n## ", 1)[0]
    for name in contract.APP_ENV_VARS:
        assert f"`{name}`" in section, f"{name} missing from the environment table"
    for name in contract.SECRET_ENV_VARS:
        row = next(line for line in section.splitlines() if line.startswith(f"| `{name}`"))
        assert "Secrets Manager" in row


def test_every_command_in_the_guide_is_checked(guide):
    """terraform: variables, outputs, folders; aws: operations and options (botocore); the rest: known programs."""
    commands = guide_commands.commands_of(guide)
    assert len(commands) > 40, "the guide's commands were not found"
    problems = [f"{p}  <-  {c.source.strip()}" for c in commands for p in guide_commands.check(c)]
    assert not problems, "\n".join(problems)
    programs = {c.words[0] for c in commands}
    assert {"terraform", "aws", "docker", "curl", "jq"} <= programs
    operations = {tuple(c.words[1:3]) for c in commands if c.words[0] == "aws"}
    assert {("apprunner", "start-deployment"), ("ecs", "describe-express-gateway-service"), ("ecr", "get-login-password")} <= operations


def test_the_checker_refuses_what_is_wrong():
    """The command checker is not a rubber stamp."""
    wrong = [
        "terraform output no_such_output",
        "cd infrastructure/dev && terraform apply -var='no_such_variable=1'",
        "terraform -chdir=infrastructure/nowhere apply",
        "aws ecs describe-express-gateway-service --service-arn x --no-such-option y",
        "aws ecs update-express-gateway-service",
        "aws apprunner no-such-operation",
        "kubectl apply -f x.yaml",
    ]
    for line in wrong:
        commands = guide_commands.commands_of(f"```bash\n{line}\n```")
        assert any(guide_commands.check(c) for c in commands), line


def test_shell_blocks_parse(guide):
    for block in guide_commands.bash_blocks(guide):
        result = subprocess.run(["bash", "-n"], input=block, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr + block


def test_costs_cover_both_targets(guide):
    section = guide.split("## Cost Breakdown", 1)[1].split("\n## ", 1)[0]
    for item in ("Fargate", "Application Load Balancer", "public IPv4", "App Runner", "VPC Endpoints", "NAT"):
        assert item in section, item


def test_commands_are_the_real_ones(guide):
    assert "docker build -t ai-chatbot ." in guide
    assert "ai-chatbot migrate" in guide
    assert "ai-chatbot doctor" in guide
    assert contract.BUILD_COMMAND.replace("--product", "\n--product") in guide or contract.BUILD_COMMAND in guide.replace("\n", " ")
    assert "curl https://<service-url>/api/health" in guide
    assert "terraform apply -var='auth_urls=" in guide
    assert "aws ecs describe-express-gateway-service --service-arn" in guide
    # What the Next.js guide had and we do not.
    assert "pnpm db:migrate" not in guide.replace("`pnpm db:migrate` from a workstation", "")
    assert "providers.ts" in guide  # only to say there is none
    assert "proxy.ts" not in guide


def test_health_check_values_match_the_module(guide):
    block = re.search(r"health_check_configuration \{(.*?)\}", guide, flags=re.S).group(1)
    values = dict(re.findall(r"^\s*(\w+)\s*=\s*\"?([\w/]+)\"?", block, flags=re.M))
    service = module_resources()[("aws_apprunner_service", "this")]
    module_values = one(service["health_check_configuration"])
    for key, value in module_values.items():
        assert str(value) == values[key], key


def test_az_example_matches_the_module_default(guide):
    default = blocks(MODULE / "variables.tf", "variable")["apprunner_unsupported_az_ids"]["default"]
    assert default == {"us-east-1": ["use1-az3"]}
    assert '"us-east-1" = ["use1-az3"]' in guide


def test_directory_tree_lists_the_real_files(guide):
    tree = guide.split("## Infrastructure Directory Structure", 1)[1].split("```")[1]
    for tf in sorted(MODULE.glob("*.tf")):
        assert tf.name in tree
    for env in ENVIRONMENTS:
        assert f"{env}/" in tree
    assert "environment/" in tree and "environment.auto.tfvars" in tree
    for name in ("main.tf", "variables.tf", "outputs.tf", "terraform.tfvars.example"):
        assert f"-> ../environment/{name}" in tree, "the tree shows the links"
    assert "catalog/models.json" in tree


def test_commands_printed_by_outputs_are_valid():
    """The command outputs (deployment, status, AUTH_URL, migrate) pass the same checks as the guide's commands."""
    outputs = blocks(MODULE / "outputs.tf", "output")
    names = ["deployment_commands", "ecs_status_commands", "ecs_deployment_commands", "update_auth_url_commands", "ecs_update_auth_url_commands", "migrate_command"]
    for name in names:
        value = str(outputs[name]["value"])
        templates = re.findall(r'"((?:aws|terraform|docker) [^"]*)"', value) or [value]
        for template in templates:
            # Interpolations become sample words; format()'s %s becomes a JSON map.
            line = re.sub(r"\$\{[^{}]*\}", "sample", template).replace("%s", '{"prod":"https://x"}')
            commands = guide_commands.commands_of(f"```bash\n{line}\n```")
            assert commands, (name, template)
            for command in commands:
                assert not guide_commands.check(command), (name, line, guide_commands.check(command))
