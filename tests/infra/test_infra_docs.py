"""docs/aws-deployment.md says what the code does.

The guide is the seed rewritten for this implementation: every section and
troubleshooting case of the seed is there, and the names it uses (outputs,
variables, environment variables, models, commands) exist.
"""

from __future__ import annotations

import re

import pytest

import infra_contract as contract
from infra_helpers import ENVIRONMENTS, INFRA, MODULE, REPO, blocks, module_resources, one

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


def test_outputs_the_guide_reads_exist(guide):
    outputs = set(blocks(INFRA / "dev" / "outputs.tf", "output"))
    used = set(re.findall(r"terraform output(?:\s+-(?:raw|json))?\s+([a-z_]+)", guide))
    assert used, "the guide reads no output?"
    assert used <= outputs, f"the guide uses outputs that do not exist: {used - outputs}"
    assert {"ecr_repository_url", "rds_endpoint", "apprunner_service_urls", "apprunner_service_arns", "deployment_commands", "update_auth_url_commands"} <= used


def test_settings_the_guide_tells_you_to_set_exist(guide):
    declared = set(blocks(INFRA / "dev" / "main.tf", "variable"))
    assert declared == set(blocks(INFRA / "sandbox" / "main.tf", "variable"))
    # `name = value` in inline code, and `#   name = value` lines of shell snippets (tfvars edits).
    named = set(re.findall(r"`([a-z_]+) = [^`]+`", guide))
    named |= set(re.findall(r"^#\s+(?:\(in terraform.tfvars\)\s+)?([a-z_]+)\s+=", guide, flags=re.M))
    hcl_attributes = {"protocol", "path", "interval", "timeout", "healthy_threshold", "unhealthy_threshold", "egress_type", "sid", "actions", "resources", "default"}
    unknown = named - declared - hcl_attributes
    assert not unknown, f"the guide tells you to set variables the environments do not have: {unknown}"


def test_model_table_is_the_catalog(guide):
    for model in contract.CATALOG_MODEL_IDS:
        assert f"`{model}`" in guide, model


def test_environment_table_covers_every_variable_the_app_reads(guide):
    section = guide.split("## Environment Variables", 1)[1].split("\n## ", 1)[0]
    for name in contract.APP_ENV_VARS:
        assert f"`{name}`" in section, f"{name} missing from the environment table"
    for name in contract.SECRET_ENV_VARS:
        row = next(line for line in section.splitlines() if line.startswith(f"| `{name}`"))
        assert "Secrets Manager" in row


def test_commands_are_the_real_ones(guide):
    assert "docker build -t ai-chatbot ." in guide
    assert "ai-chatbot migrate" in guide
    assert "ai-chatbot doctor" in guide
    assert contract.BUILD_COMMAND.replace("--product", "\n--product") in guide or contract.BUILD_COMMAND in guide.replace("\n", " ")
    assert "curl https://<service-url>/api/health" in guide
    assert "terraform apply -var='auth_urls=" in guide
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
    assert "terraform.tfvars.example" in tree
