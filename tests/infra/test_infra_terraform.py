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
    ROOT,
    blocks,
    expr,
    load_tf,
    module_locals,
    module_resources,
    module_variables,
    one,
)

# The seed's eight files, ecs.tf for the second compute target, and the alarms (issue 14).
MODULE_FILES = ["main.tf", "variables.tf", "outputs.tf", "vpc.tf", "ecr.tf", "rds.tf", "iam.tf", "apprunner.tf", "ecs.tf", "alarms.tf", "alarms_apprunner.tf", "alarms_ecs.tf", "s3.tf", "cognito.tf"]
# The one root configuration; each environment folder links to these files.
ROOT_FILES = ["main.tf", "variables.tf", "outputs.tf", "terraform.tfvars.example"]

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

# The same for ECS Express Mode (issue 10: URLs, ARNs, deployment and AUTH_URL commands).
ECS_OUTPUTS = {
    "ecs_service_urls",
    "ecs_service_arns",
    "ecs_deployment_commands",
    "ecs_update_auth_url_commands",
    "ecs_status_commands",
    "ecs_log_groups",
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
    "bedrock_model_ids": ("list(string)", None),  # null: the catalog file
    "model_catalog_file": ("string", None),
    "default_chat_model": ("string", None),  # null: the catalog's choice
    "title_model": ("string", None),
    "ecs_express_services": ("list(string)", []),
    "ecs_cpu": ("string", "512"),
    "ecs_memory": ("string", "1024"),
    "ecs_min_tasks": ("number", 1),
    "ecs_max_tasks": ("number", 3),
    "ecs_scaling_metric": ("string", "AVERAGE_CPU"),
    "ecs_scaling_target_value": ("number", 60),
    "ecs_auth_urls": ("map(string)", {}),
    "ecs_subnet_ids": ("list(string)", None),
    "ecs_wait_for_steady_state": ("bool", True),
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
    for name in ROOT_FILES:
        assert (ROOT / name).is_file() and not (ROOT / name).is_symlink(), f"missing environment/{name}"
    for env in ENVIRONMENTS:
        # The seed's files are there (main.tf, outputs.tf, the tfvars example)...
        for name in ROOT_FILES:
            assert (INFRA / env / name).is_file(), f"missing {env}/{name}"
    assert sorted(p.name for p in MODULE.glob("*.tf")) == sorted(MODULE_FILES)


def test_environments_are_one_configuration_not_copies():
    """Issue 13.9: dev and sandbox are the same root configuration; only their settings differ."""
    for env in ENVIRONMENTS:
        folder = INFRA / env
        for name in ROOT_FILES:
            link = folder / name
            assert link.is_symlink(), f"{env}/{name} must link to ../environment/{name}, not copy it"
            assert link.resolve() == (ROOT / name).resolve()
        own = sorted(p.name for p in folder.iterdir() if not p.is_symlink() and not p.name.startswith((".", "terraform.tfstate")) and p.name != "terraform.tfvars")
        assert own == ["environment.auto.tfvars"], f"{env} holds more than its settings: {own}"
        settings = (folder / "environment.auto.tfvars").read_text(encoding="utf-8")
        assert re.search(rf'^environment\s*=\s*"{env}"\s*$', settings, flags=re.M)
        assert "db_password" not in settings and "auth_secret" not in settings, "secrets belong in the git-ignored terraform.tfvars"


def test_symlinks_are_committed_as_links():
    listing = subprocess.run(["git", "ls-files", "-s", "infrastructure"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    modes = {line.split("\t")[1]: line.split()[0] for line in listing.splitlines()}
    for env in ENVIRONMENTS:
        for name in ROOT_FILES:
            path = f"infrastructure/{env}/{name}"
            if path in modes:  # committed: it must be a link (mode 120000), not a copy
                assert modes[path] == "120000", path


def test_every_tf_file_parses():
    files = sorted(p for p in INFRA.rglob("*.tf") if not p.is_symlink())
    assert len(files) == len(MODULE_FILES) + 3
    for tf in files:
        load_tf(tf)


def test_real_tfvars_and_state_are_git_ignored():
    for env in ENVIRONMENTS:
        for path in (f"infrastructure/{env}/terraform.tfvars", f"infrastructure/{env}/terraform.tfstate", f"infrastructure/{env}/.terraform/x"):
            result = subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO)
            assert result.returncode == 0, f"{path} is not git-ignored"


@pytest.mark.parametrize("path", [MODULE / "main.tf", ROOT / "main.tf"], ids=lambda p: str(p.relative_to(INFRA)))
def test_versions_pinned(path):
    terraform = one(load_tf(path)["terraform"])
    assert terraform["required_version"] == ">= 1.14.3"
    aws = one(terraform["required_providers"])["aws"]
    assert aws["source"] == "hashicorp/aws"
    # aws_ecs_express_gateway_service needs 6.23+; the fixes this module relies on are in 6.60.
    assert aws["version"] == "~> 6.60"


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


def test_root_configuration():
    variables = blocks(ROOT / "variables.tf", "variable")
    for name in ("aws_region", "aws_profile", "db_password", "auth_secret", "apprunner_services", "ecs_express_services", "publicly_accessible", "deletion_protection", "admin_cidr_blocks", "auth_urls", "ecs_auth_urls"):
        assert name in variables, f"variable {name}"
    assert variables["apprunner_services"]["default"] == []
    assert variables["ecs_express_services"]["default"] == []
    assert variables["aws_profile"]["default"] is None
    assert "default" not in variables["environment"], "each folder's environment.auto.tfvars names it"
    provider = one(load_tf(ROOT / "main.tf")["provider"])["aws"]
    assert provider["region"] == "${var.aws_region}"
    assert provider["profile"] == "${var.aws_profile}"
    module = blocks(ROOT / "main.tf", "module")["chatbot"]
    assert module["source"] == "../modules/chatbot"
    module_vars = module_variables()
    for arg in module:
        if arg not in ("source",):
            assert arg in module_vars, f"the root passes unknown variable {arg}"
            assert module[arg] == f"${{var.{arg}}}", arg
    for name in variables:
        assert name in module, f"variable {name} is declared but not passed to the module"
    # Every module input can be set from an environment's terraform.tfvars.
    assert set(module_vars) <= set(variables), set(module_vars) - set(variables)


def test_defaults_survive_a_null_from_the_environment():
    """Environments pass null for "not set": every module variable with a default must be nullable = false."""
    for name, body in module_variables().items():
        if body.get("default", "<absent>") is not None:
            assert body.get("nullable") is False, f"{name} needs nullable = false"
    module_vars = module_variables()
    for name, body in blocks(ROOT / "variables.tf", "variable").items():
        if "default" in body and body["default"] is None and module_vars[name].get("default", "<absent>") is not None:
            assert module_vars[name].get("nullable") is False, f"{name} passes null to a nullable module variable"


def test_tfvars_example_sets_only_declared_variables():
    declared = set(blocks(ROOT / "variables.tf", "variable"))
    text = (ROOT / "terraform.tfvars.example").read_text(encoding="utf-8")
    names = set(re.findall(r"^#?\s*([a-z_]+)\s*=", text, flags=re.M))
    assert {"db_password", "auth_secret", "apprunner_services", "ecs_express_services"} <= names
    assert names <= declared, f"unknown variables in terraform.tfvars.example: {names - declared}"
    for target in ("apprunner_services", "ecs_express_services"):
        assert re.search(rf"^{target}\s*=\s*\[\]", text, flags=re.M), "the example starts at phase 1"


# ------------------------------------------------------------------- outputs


def test_module_outputs_include_the_seeds_and_ecs():
    outputs = blocks(MODULE / "outputs.tf", "output")
    assert SEED_OUTPUTS <= set(outputs)
    assert ECS_OUTPUTS <= set(outputs)
    for name, body in outputs.items():
        assert body.get("description"), f"output {name} has no description"


def test_root_reexports_every_module_output():
    module_outputs = set(blocks(MODULE / "outputs.tf", "output"))
    env_outputs = blocks(ROOT / "outputs.tf", "output")
    assert set(env_outputs) == module_outputs
    for name, body in env_outputs.items():
        assert body["value"] == f"${{module.chatbot.{name}}}"


def test_command_outputs_are_the_real_commands():
    outputs = blocks(MODULE / "outputs.tf", "output")
    assert "aws apprunner start-deployment --service-arn" in expr(outputs["deployment_commands"]["value"])
    update = expr(outputs["update_auth_url_commands"]["value"])
    assert "terraform apply -var='auth_urls=" in update and "auth_urls" in blocks(ROOT / "variables.tf", "variable")
    ecs_update = expr(outputs["ecs_update_auth_url_commands"]["value"])
    assert "terraform apply -var='ecs_auth_urls=" in ecs_update and "ecs_auth_urls" in blocks(ROOT / "variables.tf", "variable")
    assert "aws ecs describe-express-gateway-service --service-arn" in expr(outputs["ecs_status_commands"]["value"])
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
        ("aws_vpc_endpoint", "interface"),
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
    # secret_environment is merge({the two}, {OIDC_CLIENT_SECRET when SSO is configured}).
    secret_text = expr(locals_["secret_environment"])
    secrets = dict(re.findall(r"([A-Z_]+) = (\$\{[^}]+\}|aws_secretsmanager_secret\.[a-z_]+\.arn)", secret_text))
    secrets = {k: v if v.startswith("${") else "${" + v + "}" for k, v in secrets.items()}
    assert set(plain) | set(optional) <= contract.APP_ENV_VARS, set(plain) - contract.APP_ENV_VARS
    for name, value in contract.REQUIRED_SERVICE_ENV.items():
        assert name in plain, name
        if value is not None:
            assert plain[name] == value, name
    assert plain["AWS_REGION"] == "${var.aws_region}"
    assert {k for k in secrets if k not in contract.SSO_SECRET_ENV_VARS} == contract.SECRET_ENV_VARS
    assert "OIDC_CLIENT_SECRET" in secret_text and "local.oidc_enabled" in secret_text
    assert not (set(plain) & (contract.SECRET_ENV_VARS | contract.SSO_SECRET_ENV_VARS)), "secrets must not be plain variables"
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
    assert set(to_db) == {"database_from_connector", "database_from_admin", "database_from_ecs"}
    for body in to_db.values():
        assert (body["from_port"], body["to_port"], body["ip_protocol"]) == (5432, 5432, "tcp")
    assert to_db["database_from_connector"]["referenced_security_group_id"] == "${aws_security_group.apprunner_connector.id}"
    # ECS tasks have their own rule from their own group (not the connector's).
    assert to_db["database_from_ecs"]["referenced_security_group_id"] == "${aws_security_group.ecs_tasks[0].id}"
    assert to_db["database_from_admin"]["for_each"] == "${toset(var.admin_cidr_blocks)}"
    assert to_db["database_from_admin"]["cidr_ipv4"] == "${each.value}"
    # No inline rules anywhere (they would fight the separate rule resources).
    for (rtype, name), body in res.items():
        if rtype == "aws_security_group":
            assert "ingress" not in body and "egress" not in body, name
    # Nothing is open to the world.
    assert "0.0.0.0/0" not in "\n".join(expr(b) for b in ingress.values())
    assert ingress["ecs_from_vpc"]["cidr_ipv4"] == "${data.aws_vpc.selected.cidr_block}"
    validation = expr(module_variables()["admin_cidr_blocks"]["validation"])
    assert "0.0.0.0/0" in validation, "admin_cidr_blocks must refuse the whole internet"


def test_connector_egress_is_only_postgres_and_https_in_the_vpc():
    res = module_resources()
    egress = {name: body for (rtype, name), body in res.items() if rtype == "aws_vpc_security_group_egress_rule"}
    egress = {n: b for n, b in egress.items() if b["security_group_id"] == "${aws_security_group.apprunner_connector.id}"}
    assert set(egress) == {"connector_to_database", "connector_to_endpoints", "connector_to_s3"}
    assert egress["connector_to_s3"]["prefix_list_id"] == "${data.aws_prefix_list.s3.id}"
    assert egress["connector_to_database"]["referenced_security_group_id"] == "${aws_security_group.database.id}"
    assert egress["connector_to_database"]["from_port"] == 5432
    assert egress["connector_to_endpoints"]["from_port"] == 443
    assert egress["connector_to_endpoints"]["cidr_ipv4"] == "${data.aws_vpc.selected.cidr_block}"


def test_endpoints_are_private_dns_interfaces():
    res = module_resources()
    endpoint = res[("aws_vpc_endpoint", "interface")]
    assert endpoint["vpc_endpoint_type"] == "Interface"
    assert endpoint["private_dns_enabled"] is True
    assert endpoint["subnet_ids"] == "${local.endpoint_subnet_ids}"
    for name in ("bedrock_runtime", "secretsmanager"):
        assert f"data.aws_vpc_endpoint_service.{name}.service_name" in expr(endpoint["for_each"])
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


def test_roles_trust_the_right_principals():
    text = (MODULE / "iam.tf").read_text(encoding="utf-8")
    assert '"build.apprunner.amazonaws.com"' in text
    assert '"tasks.apprunner.amazonaws.com"' in text
    assert '"ecs-tasks.amazonaws.com"' in text  # execution and task roles
    assert '"ecs.amazonaws.com"' in text  # the infrastructure role


def test_one_bedrock_policy_for_both_targets():
    res = module_resources()
    assert res[("aws_iam_role_policy", "ecs_task")]["policy"] == "${local.ecs_task_policy}"
    assert res[("aws_iam_role_policy", "ecs_task")]["role"] == "${aws_iam_role.ecs_task[0].id}"
    assert res[("aws_iam_role_policy", "apprunner_instance")]["policy"] == "${local.apprunner_instance_policy}"
    locals_ = module_locals()
    assert "local.bedrock_statements" in expr(locals_["bedrock_policy"])
    assert "local.bedrock_statements" in expr(locals_["app_statements"])
    assert "local.app_statements" in expr(locals_["apprunner_instance_policy"])
    assert "local.app_statements" in expr(locals_["ecs_task_policy"])
    text = (MODULE / "iam.tf").read_text(encoding="utf-8")
    for action in ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe", "secretsmanager:GetSecretValue", "bedrock:InferenceProfileArn", "aws:RequestedRegion"):
        assert f'"{action}"' in text, action
    assert '"bedrock:*"' not in text, "no wildcard Bedrock permission"
    # The model list is the catalog file, not a list written in Terraform.
    assert "jsondecode(file(local.model_catalog_path))" in text
    assert "catalog/models.json" in expr(locals_["model_catalog_path"])
