"""Structure of infrastructure/: the seed's layout, variables, outputs and resources.

Parsed with python-hcl2; no Terraform binary or AWS account is needed.
"""

from __future__ import annotations

import re
import subprocess

import pytest

import infra_contract as contract
from infra_helpers import (
    ENVIRONMENTS,
    INFRA,
    MODULE,
    REPO,
    blocks,
    expr,
    load_tf,
    module_locals,
    module_resources,
    module_variables,
    one,
)

MODULE_FILES = ["main.tf", "variables.tf", "outputs.tf", "vpc.tf", "ecr.tf", "rds.tf", "iam.tf", "apprunner.tf"]
ENV_FILES = ["main.tf", "outputs.tf", "terraform.tfvars.example"]

# Outputs the seed's commands use, plus the ones the original fork had.
SEED_OUTPUTS = {
    "ecr_repository_url",
    "rds_endpoint",
    "rds_database_name",
    "vpc_connector_arn",
    "apprunner_service_ids",
    "apprunner_service_urls",
    "apprunner_service_arns",
    "deployment_commands",
    "update_auth_url_commands",
}

# Module variables: type and default (REQUIRED = no default).
REQUIRED = object()
EXPECTED_VARIABLES = {
    "environment": ("string", REQUIRED),
    "aws_region": ("string", "us-east-1"),
    "aws_profile": ("string", None),
    "apprunner_services": ("list(string)", []),
    "db_password": ("string", REQUIRED),
    "auth_secret": ("string", REQUIRED),
    "db_username": ("string", "chatbot_admin"),
    "db_name": ("string", "chatbot"),
    "db_instance_class": ("string", "db.t3.micro"),
    "publicly_accessible": ("bool", False),
    "deletion_protection": ("bool", True),
    "skip_final_snapshot": ("bool", False),
    "admin_cidr_blocks": ("list(string)", []),
    "apprunner_az_ids": ("list(string)", []),
    "apprunner_unsupported_az_ids": ("map(list(string))", {"us-east-1": ["use1-az3"]}),
    "auth_urls": ("map(string)", {}),
    "image_tag": ("string", "latest"),
    "image_tags": ("map(string)", {}),
    "bedrock_model_ids": ("list(string)", contract.CATALOG_MODEL_IDS),
    "bedrock_inference_regions": ("list(string)", contract.US_PROFILE_REGIONS),
    "default_chat_model": ("string", contract.DEFAULT_CHAT_MODEL),
    "title_model": ("string", contract.TITLE_MODEL),
    "create_vpc_endpoints": ("bool", True),
    "secrets_version": ("number", 1),
}


def unwrap(value) -> str:
    """`${list(string)}` -> `list(string)`: python-hcl2 wraps non-literal expressions."""
    text = expr(value)
    return text[2:-1] if text.startswith("${") and text.endswith("}") else text


# ------------------------------------------------------------------- layout


def test_layout_is_the_seeds():
    for name in MODULE_FILES:
        assert (MODULE / name).is_file(), f"missing modules/chatbot/{name}"
    for env in ENVIRONMENTS:
        for name in ENV_FILES:
            assert (INFRA / env / name).is_file(), f"missing {env}/{name}"
    # Nothing else in the module: the seed's eight files are the module.
    assert sorted(p.name for p in MODULE.glob("*.tf")) == sorted(MODULE_FILES)


def test_every_tf_file_parses():
    files = sorted(INFRA.rglob("*.tf"))
    assert len(files) == len(MODULE_FILES) + 2 * len(ENVIRONMENTS)
    for tf in files:
        load_tf(tf)


def test_real_tfvars_and_state_are_git_ignored():
    for env in ENVIRONMENTS:
        for path in (f"infrastructure/{env}/terraform.tfvars", f"infrastructure/{env}/terraform.tfstate", f"infrastructure/{env}/.terraform/x"):
            result = subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO)
            assert result.returncode == 0, f"{path} is not git-ignored"


@pytest.mark.parametrize("path", [MODULE / "main.tf"] + [INFRA / env / "main.tf" for env in ENVIRONMENTS], ids=lambda p: str(p.relative_to(INFRA)))
def test_versions_pinned(path):
    terraform = one(load_tf(path)["terraform"])
    assert terraform["required_version"] == ">= 1.14.3"
    aws = one(terraform["required_providers"])["aws"]
    assert aws["source"] == "hashicorp/aws"
    assert aws["version"] == "~> 6.0"


# ----------------------------------------------------------------- variables


def test_module_variables_have_types_descriptions_and_defaults():
    variables = module_variables()
    for name, body in variables.items():
        assert "type" in body, f"variable {name} has no type"
        assert body.get("description"), f"variable {name} has no description"
    for name, (vtype, default) in EXPECTED_VARIABLES.items():
        assert name in variables, f"missing variable {name}"
        body = variables[name]
        assert unwrap(body["type"]).replace(" ", "") == vtype.replace(" ", ""), name
        if default is REQUIRED:
            assert "default" not in body, f"{name} must be required"
        else:
            assert body.get("default", "<absent>") == default, f"{name} default"


def test_secrets_are_sensitive_and_never_stored():
    variables = module_variables()
    for name in ("db_password", "auth_secret"):
        assert variables[name].get("sensitive") is True
        assert variables[name].get("ephemeral") is True
    res = module_resources()
    db = res[("aws_db_instance", "this")]
    assert "password" not in db and db["password_wo"] == "${var.db_password}"
    for secret in ("postgres_url", "auth_secret"):
        version = res[("aws_secretsmanager_secret_version", secret)]
        assert "secret_string" not in version and "secret_string_wo" in version


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_environment_roots(env):
    root = INFRA / env / "main.tf"
    variables = blocks(root, "variable")
    for name in ("aws_region", "aws_profile", "db_password", "auth_secret", "apprunner_services", "publicly_accessible", "deletion_protection", "admin_cidr_blocks", "auth_urls"):
        assert name in variables, f"{env}: variable {name}"
    assert variables["apprunner_services"]["default"] == []
    assert variables["aws_profile"]["default"] is None
    provider = one(load_tf(root)["provider"])["aws"]
    assert provider["region"] == "${var.aws_region}"
    assert provider["profile"] == "${var.aws_profile}"
    module = blocks(root, "module")["chatbot"]
    assert module["source"] == "../modules/chatbot"
    module_vars = module_variables()
    for arg in module:
        if arg not in ("source",):
            assert arg in module_vars, f"{env} passes unknown variable {arg}"
    for name in variables:
        assert name in module, f"{env}: variable {name} is declared but not passed to the module"
    locals_ = {k: v for e in load_tf(root).get("locals", []) for k, v in e.items()}
    assert locals_["environment"] == env


def test_defaults_survive_a_null_from_the_environment():
    """Environments pass null for "not set": every module variable with a default must be nullable = false."""
    for name, body in module_variables().items():
        if body.get("default", "<absent>") is not None:
            assert body.get("nullable") is False, f"{name} needs nullable = false"
    module_vars = module_variables()
    for env in ENVIRONMENTS:
        for name, body in blocks(INFRA / env / "main.tf", "variable").items():
            if "default" in body and body["default"] is None and module_vars[name].get("default", "<absent>") is not None:
                assert module_vars[name].get("nullable") is False, f"{env}: {name} passes null to a nullable module variable"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_tfvars_example_sets_only_declared_variables(env):
    declared = set(blocks(INFRA / env / "main.tf", "variable"))
    text = (INFRA / env / "terraform.tfvars.example").read_text(encoding="utf-8")
    names = set(re.findall(r"^#?\s*([a-z_]+)\s*=", text, flags=re.M))
    assert {"db_password", "auth_secret", "apprunner_services"} <= names
    assert names <= declared, f"unknown variables in {env}/terraform.tfvars.example: {names - declared}"
    assert re.search(r"^apprunner_services\s*=\s*\[\]", text, flags=re.M), "the example starts at phase 1"


# ------------------------------------------------------------------- outputs


def test_module_outputs_include_the_seeds():
    outputs = blocks(MODULE / "outputs.tf", "output")
    assert SEED_OUTPUTS <= set(outputs)
    for name, body in outputs.items():
        assert body.get("description"), f"output {name} has no description"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_environment_reexports_every_module_output(env):
    module_outputs = set(blocks(MODULE / "outputs.tf", "output"))
    env_outputs = blocks(INFRA / env / "outputs.tf", "output")
    assert set(env_outputs) == module_outputs
    for name, body in env_outputs.items():
        assert body["value"] == f"${{module.chatbot.{name}}}"


def test_command_outputs_are_the_real_commands():
    outputs = blocks(MODULE / "outputs.tf", "output")
    assert "aws apprunner start-deployment --service-arn" in expr(outputs["deployment_commands"]["value"])
    update = expr(outputs["update_auth_url_commands"]["value"])
    assert "terraform apply -var='auth_urls=" in update and "auth_urls" in blocks(INFRA / "dev" / "main.tf", "variable")
    assert "https://" in expr(outputs["apprunner_service_urls"]["value"])
    assert "ai-chatbot migrate" in expr(outputs["migrate_command"]["value"])
    assert "sslmode=require" in expr(outputs["migrate_command"]["value"])


# ----------------------------------------------------------------- resources


def test_resources_the_seed_lists():
    res = module_resources()
    for key in [
        ("aws_ecr_repository", "this"),
        ("aws_db_instance", "this"),
        ("aws_db_parameter_group", "this"),
        ("aws_db_subnet_group", "this"),
        ("aws_secretsmanager_secret", "postgres_url"),
        ("aws_secretsmanager_secret", "auth_secret"),
        ("aws_vpc_endpoint", "bedrock_runtime"),
        ("aws_vpc_endpoint", "secretsmanager"),
        ("aws_apprunner_vpc_connector", "this"),
        ("aws_security_group", "apprunner_connector"),
        ("aws_security_group", "database"),
        ("aws_security_group", "endpoints"),
        ("aws_iam_role", "apprunner_ecr_access"),
        ("aws_iam_role", "apprunner_instance"),
        ("aws_apprunner_service", "this"),
        ("aws_apprunner_auto_scaling_configuration_version", "this"),
    ]:
        assert key in res, f"missing resource {key}"


def test_ecr_scans_on_push():
    ecr = module_resources()[("aws_ecr_repository", "this")]
    assert one(ecr["image_scanning_configuration"])["scan_on_push"] is True


def test_services_are_staged_and_each_has_its_own_autoscaling_and_logs():
    res = module_resources()
    assert module_locals()["services"] == "${toset(var.apprunner_services)}"
    for key in [("aws_apprunner_service", "this"), ("aws_apprunner_auto_scaling_configuration_version", "this"), ("terraform_data", "log_retention")]:
        assert "local.services" in expr(res[key]["for_each"]), key
    service = res[("aws_apprunner_service", "this")]
    assert service["auto_scaling_configuration_arn"] == "${aws_apprunner_auto_scaling_configuration_version.this[each.key].arn}"
    retention = expr(res[("terraform_data", "log_retention")])
    assert "aws logs put-retention-policy" in retention and "/aws/apprunner/" in retention


def test_health_check_is_the_seeds():
    service = module_resources()[("aws_apprunner_service", "this")]
    health = one(service["health_check_configuration"])
    assert health == contract.HEALTH_CHECK


def test_service_network_image_and_roles():
    service = module_resources()[("aws_apprunner_service", "this")]
    network = one(service["network_configuration"])
    egress = one(network["egress_configuration"])
    assert egress["egress_type"] == "VPC"
    assert egress["vpc_connector_arn"] == "${aws_apprunner_vpc_connector.this.arn}"
    source = one(service["source_configuration"])
    assert one(source["authentication_configuration"])["access_role_arn"] == "${aws_iam_role.apprunner_ecr_access.arn}"
    image = one(source["image_repository"])
    assert image["image_repository_type"] == "ECR"
    config = one(image["image_configuration"])
    assert config["port"] == "${local.container_port}"
    assert module_locals()["container_port"] == str(contract.PORT)
    assert one(service["instance_configuration"])["instance_role_arn"] == "${aws_iam_role.apprunner_instance.arn}"


def test_environment_and_secret_names_are_what_the_app_reads():
    locals_ = module_locals()
    plain = locals_["app_environment"]
    optional = locals_["optional_environment"]
    secrets = locals_["secret_environment"]
    assert set(plain) | set(optional) <= contract.APP_ENV_VARS, set(plain) - contract.APP_ENV_VARS
    for name, value in contract.REQUIRED_SERVICE_ENV.items():
        assert name in plain, name
        if value is not None:
            assert plain[name] == value, name
    assert plain["AWS_REGION"] == "${var.aws_region}"
    assert set(secrets) == contract.SECRET_ENV_VARS
    assert not (set(plain) & contract.SECRET_ENV_VARS), "secrets must not be plain variables"
    service = module_resources()[("aws_apprunner_service", "this")]
    config = one(one(one(service["source_configuration"])["image_repository"])["image_configuration"])
    assert config["runtime_environment_secrets"] == "${local.secret_environment}"
    assert "local.base_environment" in expr(config["runtime_environment_variables"])
    assert "AUTH_URL" in expr(config["runtime_environment_variables"])
    assert "AUTH_URL" in contract.APP_ENV_VARS
    # The secret ARNs are the two secrets the role may read.
    assert secrets["POSTGRES_URL"] == "${aws_secretsmanager_secret.postgres_url.arn}"
    assert secrets["AUTH_SECRET"] == "${aws_secretsmanager_secret.auth_secret.arn}"


def test_postgres_url_secret_requires_tls():
    version = module_resources()[("aws_secretsmanager_secret_version", "postgres_url")]
    url = expr(version["secret_string_wo"])
    assert url.startswith("postgresql://")
    assert url.endswith("?sslmode=require")
    assert "urlencode(var.db_password)" in url, "the password must be URL-encoded"
    assert "aws_db_instance.this.address" in url


# --------------------------------------------------------------------- AZs


def test_az_filtering_works_in_any_region():
    locals_ = module_locals()
    # Driven by the region, not hard-coded to us-east-1.
    assert "var.apprunner_unsupported_az_ids" in expr(locals_["apprunner_excluded_az_ids"])
    assert "var.aws_region" in expr(locals_["apprunner_excluded_az_ids"])
    subnets = expr(locals_["apprunner_subnet_ids"])
    assert "var.apprunner_az_ids" in subnets and "local.apprunner_excluded_az_ids" in subnets
    assert "az_id" in subnets, "filter on AZ ids (stable across accounts), not names"
    connector = module_resources()[("aws_apprunner_vpc_connector", "this")]
    assert connector["subnets"] == "${local.apprunner_subnet_ids}"
    # Endpoints only in AZs their services are offered in.
    assert "aws_vpc_endpoint_service" in expr(locals_["endpoint_candidate_azs"])


# ------------------------------------------------------------- security groups


def test_database_reachable_only_from_the_connector_and_admin_cidrs():
    res = module_resources()
    ingress = {name: body for (rtype, name), body in res.items() if rtype == "aws_vpc_security_group_ingress_rule"}
    to_db = {n: b for n, b in ingress.items() if b["security_group_id"] == "${aws_security_group.database.id}"}
    assert set(to_db) == {"database_from_connector", "database_from_admin"}
    for body in to_db.values():
        assert (body["from_port"], body["to_port"], body["ip_protocol"]) == (5432, 5432, "tcp")
    assert to_db["database_from_connector"]["referenced_security_group_id"] == "${aws_security_group.apprunner_connector.id}"
    assert to_db["database_from_admin"]["for_each"] == "${toset(var.admin_cidr_blocks)}"
    assert to_db["database_from_admin"]["cidr_ipv4"] == "${each.value}"
    # No inline rules anywhere (they would fight the separate rule resources).
    for (rtype, name), body in res.items():
        if rtype == "aws_security_group":
            assert "ingress" not in body and "egress" not in body, name
    # Nothing is open to the world.
    assert "0.0.0.0/0" not in "\n".join(expr(b) for b in ingress.values())
    validation = expr(module_variables()["admin_cidr_blocks"]["validation"])
    assert "0.0.0.0/0" in validation, "admin_cidr_blocks must refuse the whole internet"


def test_connector_egress_is_only_postgres_and_https_in_the_vpc():
    res = module_resources()
    egress = {name: body for (rtype, name), body in res.items() if rtype == "aws_vpc_security_group_egress_rule"}
    assert set(egress) == {"connector_to_database", "connector_to_endpoints"}
    assert egress["connector_to_database"]["referenced_security_group_id"] == "${aws_security_group.database.id}"
    assert egress["connector_to_database"]["from_port"] == 5432
    assert egress["connector_to_endpoints"]["from_port"] == 443
    assert egress["connector_to_endpoints"]["cidr_ipv4"] == "${data.aws_vpc.selected.cidr_block}"


def test_endpoints_are_private_dns_interfaces():
    res = module_resources()
    for name in ("bedrock_runtime", "secretsmanager"):
        endpoint = res[("aws_vpc_endpoint", name)]
        assert endpoint["vpc_endpoint_type"] == "Interface"
        assert endpoint["private_dns_enabled"] is True
        assert endpoint["subnet_ids"] == "${local.endpoint_subnet_ids}"
    data = blocks(MODULE / "main.tf", "data")
    assert data["aws_vpc_endpoint_service"]  # both services are looked up by name
    text = (MODULE / "main.tf").read_text(encoding="utf-8")
    assert 'service      = "bedrock-runtime"' in text and 'service      = "secretsmanager"' in text


# ---------------------------------------------------------------------- RDS


def test_database_settings():
    res = module_resources()
    db = res[("aws_db_instance", "this")]
    assert db["engine"] == "postgres"
    assert db["instance_class"] == "${var.db_instance_class}"
    assert db["storage_encrypted"] is True
    assert db["publicly_accessible"] == "${var.publicly_accessible}"
    assert db["deletion_protection"] == "${var.deletion_protection}"
    assert db["vpc_security_group_ids"] == ["${aws_security_group.database.id}"]
    assert db["parameter_group_name"] == "${aws_db_parameter_group.this.name}"
    params = {p["name"]: p["value"] for p in res[("aws_db_parameter_group", "this")]["parameter"]}
    assert params["rds.force_ssl"] == "1"


# ----------------------------------------------------------------------- IAM


def test_roles_trust_the_right_app_runner_principals():
    text = (MODULE / "iam.tf").read_text(encoding="utf-8")
    assert '"build.apprunner.amazonaws.com"' in text
    assert '"tasks.apprunner.amazonaws.com"' in text


def test_instance_role_permissions():
    text = (MODULE / "iam.tf").read_text(encoding="utf-8")
    for action in ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe", "secretsmanager:GetSecretValue"):
        assert f'"{action}"' in text, action
    assert "aws_secretsmanager_secret.postgres_url.arn" in text and "aws_secretsmanager_secret.auth_secret.arn" in text
    # No wildcard Bedrock permission.
    assert '"bedrock:*"' not in text
    locals_ = module_locals()
    arns = expr(locals_["bedrock_resource_arns"])
    assert ":inference-profile/" in arns and "::foundation-model/" in arns


def test_bedrock_arns_cover_the_catalog():
    """Evaluates the module's ARN expressions in Python for the default variables."""
    variables = module_variables()
    model_ids = variables["bedrock_model_ids"]["default"]
    regions = variables["bedrock_inference_regions"]["default"]
    locals_ = module_locals()
    prefix = re.search(r'"\^\((.+?)\)', expr(locals_["bedrock_profile_ids"])).group(1)  # the geography prefixes
    pattern = re.compile(rf"^({prefix})\.".replace("\\\\", "\\"))
    profiles = [m for m in model_ids if pattern.match(m)]
    bases = sorted({pattern.sub("", m) for m in model_ids})
    assert set(profiles) == {m for m in contract.CATALOG_MODEL_IDS if m.startswith("us.")}
    assert "anthropic.claude-sonnet-4-5-20250929-v1:0" in bases and "amazon.nova-lite-v1:0" in bases
    assert set(contract.US_PROFILE_REGIONS) <= set(regions)
    assert "var.bedrock_inference_regions" in expr(locals_["bedrock_model_regions"])
    assert "var.aws_region" in expr(locals_["bedrock_model_regions"])
