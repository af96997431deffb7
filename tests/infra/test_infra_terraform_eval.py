"""Evaluates the module's own expressions with a real Terraform binary, no AWS needed.

The module's `locals` and `check` blocks (AZ filtering, endpoint placement, the
ECS subnets, the whole Bedrock policy, the service environment, App Runner's
scaling names) and its variables.tf are copied verbatim into a
throw-away root module in which the data sources are replaced by variables
with made-up subnets. `terraform apply` of that root touches no provider, so it
runs offline; the outputs are then checked for several regions and settings.
The variable validations and `nullable = false` defaults run for real too.

Needs a `terraform` binary (1.10 or newer, for ephemeral variables); skipped
when there is none, since these machines are not guaranteed to have one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

import pytest

import infra_contract as contract
from infra_helpers import MODULE, REPO

TERRAFORM = shutil.which("terraform")


def _version_ok() -> bool:
    if not TERRAFORM:
        return False
    try:
        out = subprocess.run([TERRAFORM, "version", "-json"], capture_output=True, text=True, timeout=60).stdout
        major, minor = (int(x) for x in json.loads(out)["terraform_version"].split(".")[:2])
    except Exception:
        return False
    return (major, minor) >= (1, 10)


pytestmark = pytest.mark.skipif(not _version_ok(), reason="no terraform >= 1.10 binary on PATH")

# Data sources and resource attributes the locals read, replaced by harness values.
SUBSTITUTIONS = {
    "data.aws_subnet.candidate": "var.mock_subnets",
    "data.aws_vpc_endpoint_service.bedrock_runtime.availability_zones": "var.mock_bedrock_azs",
    "data.aws_vpc_endpoint_service.secretsmanager.availability_zones": "var.mock_secretsmanager_azs",
    "data.aws_partition.current.partition": '"aws"',
    "data.aws_vpc.selected.cidr_block": "var.mock_vpc_cidr",
    "aws_subnet.ecs_private[*].id": '["subnet-ecs-1", "subnet-ecs-2"]',
    "data.aws_caller_identity.current.account_id": '"123456789012"',
    "one(aws_secretsmanager_secret.oidc_client_secret[*].arn)": '"arn:oidc-client-secret"',
    "aws_secretsmanager_secret.oidc_client_secret[*].arn": '(local.oidc_enabled ? ["arn:oidc-client-secret"] : [])',
    "one(aws_cognito_user_pool.this[*].id)": '"us-east-1_Pool1234"',
    "one(aws_cognito_user_pool_client.this[*].id)": '"client1234"',
    "aws_secretsmanager_secret.postgres_url.arn": '"arn:postgres-url"',
    "aws_secretsmanager_secret.auth_secret.arn": '"arn:auth-secret"',
    "aws_db_instance.this.address": '"db.internal"',
    "aws_db_instance.this.port": "5432",
    "aws_s3_bucket.attachments.bucket": "local.attachments_bucket_name",
    "data.aws_route_tables.connector[0].ids": "var.mock_connector_route_tables",
    "data.aws_route_table.main[0].id": '"rtb-main"',
    "aws_route_table.ecs_private[*].id": '(local.ecs_create_subnets ? ["rtb-ecs"] : [])',
    "one(aws_sns_topic.alarms[*].arn)": '"arn:aws:sns:us-east-1:123456789012:chatbot-dev-alarms"',
}

HARNESS = """
variable "mock_subnets" {
  type = map(object({ availability_zone = string, availability_zone_id = string, tags = optional(map(string), {}) }))
}
variable "mock_vpc_cidr" { type = string }
variable "mock_bedrock_azs" { type = list(string) }
variable "mock_secretsmanager_azs" { type = list(string) }
variable "mock_password" { type = string }
variable "mock_connector_route_tables" {
  type    = list(string)
  default = ["rtb-a"]
}

output "apprunner_subnet_ids" { value = local.apprunner_subnet_ids }
output "endpoint_subnet_ids" { value = local.endpoint_subnet_ids }
output "db_subnet_ids" { value = local.db_subnet_ids }
output "base_environment" { value = local.base_environment }
output "secret_environment" { value = local.secret_environment }
output "cli_flags" { value = local.cli_flags }
output "bedrock_model_ids" { value = local.bedrock_model_ids }
output "bedrock_policy" { value = jsondecode(local.bedrock_policy) }
output "apprunner_instance_policy" { value = jsondecode(local.apprunner_instance_policy) }
output "apprunner_scaling_names" { value = local.apprunner_scaling_names }
output "ecs_subnet_azs" { value = local.ecs_subnet_azs }
output "ecs_private_subnet_cidrs" { value = local.ecs_private_subnet_cidrs }
output "ecs_subnet_ids" { value = local.ecs_subnet_ids }
output "ecs_interface_endpoints" { value = local.ecs_interface_endpoints }
output "postgres_url" { value = POSTGRES_URL_EXPRESSION }
output "db_max_connections" { value = local.db_max_connections }
output "db_connections_threshold" { value = local.db_connections_threshold }
output "alarm_actions" { value = local.alarm_actions }
output "attachments_bucket_name" { value = local.attachments_bucket_name }
output "ecs_task_policy" { value = jsondecode(local.ecs_task_policy) }
output "s3_endpoint_route_table_ids" { value = local.s3_endpoint_route_table_ids }
output "s3_endpoint_enabled" { value = local.s3_endpoint_enabled }
output "sso_callback_urls" { value = local.sso_callback_urls }
output "sso_origins" { value = local.sso_origins }
output "cognito_domain_prefix" { value = local.cognito_domain_prefix }
output "alarm_latency_p99_seconds" { value = local.alarm_latency_p99_seconds }
output "defaults" {
  value = {
    deletion_protection = var.deletion_protection
    publicly_accessible = var.publicly_accessible
    apprunner_cpu       = var.apprunner_cpu
    ecs_memory          = var.ecs_memory
  }
}
"""

US_EAST_1_SUBNETS = {
    "subnet-a": {"availability_zone": "us-east-1a", "availability_zone_id": "use1-az1"},
    "subnet-b": {"availability_zone": "us-east-1b", "availability_zone_id": "use1-az3"},
    "subnet-c": {"availability_zone": "us-east-1c", "availability_zone_id": "use1-az2"},
    "subnet-d": {"availability_zone": "us-east-1d", "availability_zone_id": "use1-az4"},
    "subnet-z": {"availability_zone": "us-east-1-nyc-1a", "availability_zone_id": "use1-nyc1-az1"},
}
US_EAST_1_AZS = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]
CATALOG = REPO / "catalog" / "models.json"


def _blocks(text: str, keyword: str) -> list[str]:
    """Top-level `keyword {...}` / `keyword "label" {...}` blocks of a file, by brace matching."""
    found = []
    for match in re.finditer(rf'(?m)^{keyword} (?:"[^"]*" )?\{{', text):
        depth = 0
        for index in range(match.start(), len(text)):
            if text[index] == "{":
                depth += 1
            elif text[index] == "}":
                depth -= 1
                if depth == 0:
                    found.append(text[match.start() : index + 1])
                    break
    return found


def _postgres_url_expression() -> str:
    rds = (MODULE / "rds.tf").read_text(encoding="utf-8")
    match = re.search(r'resource "aws_secretsmanager_secret_version" "postgres_url" \{.*?secret_string_wo\s*=\s*(".*?")\n', rds, flags=re.S)
    assert match, "postgres_url secret expression not found"
    # The harness output may not carry the ephemeral password, so it reads a plain copy.
    expression = match.group(1).replace("var.db_password", "var.mock_password")
    for old, new in SUBSTITUTIONS.items():
        expression = expression.replace(old, new)
    return expression


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> Path:
    """A folder with the harness sources; each evaluation runs in its own copy (own state)."""
    root = tmp_path_factory.mktemp("tf-harness")
    locals_text = "\n".join(
        b for name in ("main.tf", "iam.tf", "vpc.tf", "apprunner.tf", "alarms.tf", "s3.tf", "cognito.tf") for kind in ("locals", "check") for b in _blocks((MODULE / name).read_text(encoding="utf-8"), kind)
    )
    for old, new in SUBSTITUTIONS.items():
        locals_text = locals_text.replace(old, new)
    (root / "locals.tf").write_text(locals_text, encoding="utf-8")
    (root / "variables.tf").write_text((MODULE / "variables.tf").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "harness.tf").write_text(HARNESS.replace("POSTGRES_URL_EXPRESSION", _postgres_url_expression()), encoding="utf-8")
    return root


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["TF_IN_AUTOMATION"] = "1"
    env["CHECKPOINT_DISABLE"] = "1"  # no version check call home
    return env


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([TERRAFORM, *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=_env())


def evaluate(harness: Path, name: str, **variables) -> dict | str:
    """terraform apply of the harness with these variables; the outputs, or the error text."""
    values = {
        "environment": "dev",
        "db_password": "correct-horse-battery",
        "mock_password": "correct-horse-battery",
        "auth_secret": "x" * 44,
        "mock_subnets": US_EAST_1_SUBNETS,
        "mock_bedrock_azs": US_EAST_1_AZS,
        "mock_secretsmanager_azs": US_EAST_1_AZS,
        "mock_vpc_cidr": "172.31.0.0/16",
        "model_catalog_file": str(CATALOG),
    }
    values.update(variables)
    work = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=harness))
    for source in harness.glob("*.tf"):
        shutil.copy(source, work / source.name)
    (work / "scenario.auto.tfvars.json").write_text(json.dumps(values), encoding="utf-8")
    init = _run(["init", "-input=false", "-no-color"], work)
    assert init.returncode == 0, init.stderr
    apply = _run(["apply", "-auto-approve", "-input=false", "-no-color"], work)
    if apply.returncode != 0:
        return apply.stderr + apply.stdout
    out = _run(["output", "-json", "-no-color"], work)
    assert out.returncode == 0, out.stderr
    return {k: v["value"] for k, v in json.loads(out.stdout).items()}


def test_us_east_1_drops_use1_az3_and_local_zones(harness):
    out = evaluate(harness, "use1")
    assert out["apprunner_subnet_ids"] == ["subnet-a", "subnet-c", "subnet-d"]
    assert out["db_subnet_ids"] == ["subnet-a", "subnet-b", "subnet-c", "subnet-d"]
    # One endpoint AZ by default, in a supported subnet.
    assert out["endpoint_subnet_ids"] == ["subnet-a"]


def test_other_region_keeps_every_standard_az(harness):
    subnets = {
        "subnet-1": {"availability_zone": "eu-west-1a", "availability_zone_id": "euw1-az1"},
        "subnet-2": {"availability_zone": "eu-west-1b", "availability_zone_id": "euw1-az2"},
        "subnet-3": {"availability_zone": "eu-west-1c", "availability_zone_id": "euw1-az3"},
    }
    azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    out = evaluate(harness, "euw1", aws_region="eu-west-1", mock_subnets=subnets, mock_bedrock_azs=azs, mock_secretsmanager_azs=azs)
    assert out["apprunner_subnet_ids"] == ["subnet-1", "subnet-2", "subnet-3"]
    assert out["base_environment"]["AWS_REGION"] == "eu-west-1"


def test_explicit_az_allow_list_and_region_map_override(harness):
    out = evaluate(harness, "allow", apprunner_az_ids=["use1-az2", "use1-az4"])
    assert out["apprunner_subnet_ids"] == ["subnet-c", "subnet-d"]
    out = evaluate(harness, "map", apprunner_unsupported_az_ids={"us-east-1": ["use1-az3", "use1-az1"]})
    assert out["apprunner_subnet_ids"] == ["subnet-c", "subnet-d"]


def test_endpoints_one_subnet_per_az_where_both_services_exist(harness):
    out = evaluate(harness, "endpoints", vpc_endpoint_az_count=3, mock_secretsmanager_azs=["us-east-1a", "us-east-1d"])
    assert out["endpoint_subnet_ids"] == ["subnet-a", "subnet-d"]


def test_bedrock_policy_covers_the_catalog_as_it_routes(harness):
    out = evaluate(harness, "arns")
    assert out["bedrock_model_ids"] == contract.CATALOG_MODEL_IDS, "the policy is built from catalog/models.json"
    statements = out["bedrock_policy"]["Statement"]
    check_policy_routes(statements, contract.CATALOG_MODEL_IDS, "us-east-1")
    # App Runner's instance role: the same statements, plus reading the two secrets.
    instance = out["apprunner_instance_policy"]["Statement"]
    assert instance[: len(statements)] == statements
    assert instance[-1]["Action"] == ["secretsmanager:GetSecretValue"]


def check_policy_routes(statements: list[dict], model_ids: list[str], region: str) -> None:
    """Issue 10.4: us./eu./apac. profiles to their geography's Regions, global. to every commercial Region."""
    account = "123456789012"
    by_sid = {s["Sid"]: s for s in statements}
    assert len(by_sid) == len(statements), "statement ids are unique"
    for statement in statements:
        assert "*" not in "".join(statement["Action"]) or statement["Sid"] == "MarketplaceSubscriptionForModels"
        if statement["Sid"] != "MarketplaceSubscriptionForModels":
            assert not any("*" in arn for arn in statement["Resource"]), statement["Sid"]

    def allowed(arn: str, profile: str | None, requested_region: str) -> bool:
        for s in statements:
            resources = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
            if arn not in resources:
                continue
            conditions = s.get("Condition", {}).get("StringEquals", {})
            if "bedrock:InferenceProfileArn" in conditions and profile not in conditions["bedrock:InferenceProfileArn"]:
                continue
            if "aws:RequestedRegion" in conditions and requested_region not in conditions["aws:RequestedRegion"]:
                continue
            return True
        return False

    regions = {"us": contract.US_PROFILE_REGIONS, "eu": contract.EU_PROFILE_REGIONS, "apac": contract.APAC_PROFILE_REGIONS}
    for model_id in model_ids:
        geography, _, base = model_id.partition(".")
        if geography not in contract.PROFILE_PREFIXES:
            assert allowed(f"arn:aws:bedrock:{region}::foundation-model/{model_id}", None, region), model_id
            continue
        profile = f"arn:aws:bedrock:{region}:{account}:inference-profile/{model_id}"
        assert allowed(profile, None, region), f"{model_id}: the profile itself"
        if geography == "global":
            assert allowed(f"arn:aws:bedrock:{region}::foundation-model/{base}", profile, region)
            assert allowed(f"arn:aws:bedrock:::foundation-model/{base}", profile, "unspecified"), "global routes to any commercial Region"
            assert not allowed(f"arn:aws:bedrock:::foundation-model/{base}", None, "unspecified"), "only through our profile"
        else:
            for destination in regions[geography]:
                arn = f"arn:aws:bedrock:{destination}::foundation-model/{base}"
                assert allowed(arn, profile, destination), (model_id, destination)
                assert not allowed(arn, None, destination), f"{model_id}: the model behind the profile only through the profile"
            assert not allowed(f"arn:aws:bedrock:sa-east-1::foundation-model/{base}", profile, "sa-east-1"), "no Region outside the geography"


def test_bedrock_policy_for_every_kind_of_id(harness):
    ids = [
        "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "apac.amazon.nova-pro-v1:0",
        "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "amazon.nova-lite-v1:0",
    ]
    out = evaluate(harness, "kinds", bedrock_model_ids=ids)
    check_policy_routes(out["bedrock_policy"]["Statement"], ids, "us-east-1")
    sids = [s["Sid"] for s in out["bedrock_policy"]["Statement"]]
    assert {"ModelsThroughUsProfiles", "ModelsThroughEuProfiles", "ModelsThroughApacProfiles", "ModelsThroughGlobalProfilesAnywhere"} <= set(sids)
    # A compact policy: one statement per geography, well under IAM's 10,240-character inline limit.
    assert len(json.dumps(out["apprunner_instance_policy"], separators=(",", ":"))) < 10240


def test_app_runner_scaling_names_fit_32_characters(harness):
    out = evaluate(harness, "names", project_name="chatbotproject1", environment="environment1", apprunner_services=["production", "p"])
    names = out["apprunner_scaling_names"]
    assert names["p"] == "chatbotproject1-environment1-p"
    assert len(names["production"]) <= 32 and names["production"].startswith("chatbotproject1-environ-")
    assert len(set(names.values())) == 2


def test_ecs_private_subnets_in_two_endpoint_azs(harness):
    out = evaluate(harness, "ecs", ecs_express_services=["prod"])
    assert out["ecs_subnet_azs"] == ["us-east-1a", "us-east-1c"], "two AZs, never use1-az3"
    assert out["ecs_private_subnet_cidrs"] == ["172.31.250.0/24", "172.31.251.0/24"]
    assert out["ecs_subnet_ids"] == ["subnet-ecs-1", "subnet-ecs-2"]
    assert sorted(out["ecs_interface_endpoints"]) == ["ecr.api", "ecr.dkr", "logs"]
    out = evaluate(harness, "ecs-own", ecs_express_services=["prod"], ecs_subnet_ids=["subnet-x", "subnet-y"], create_vpc_endpoints=False)
    assert out["ecs_subnet_ids"] == ["subnet-x", "subnet-y"]
    assert out["ecs_interface_endpoints"] == []


def test_our_private_subnets_never_join_the_database_or_the_connector(harness):
    subnets = dict(US_EAST_1_SUBNETS)
    subnets["subnet-ecs-1"] = {"availability_zone": "us-east-1a", "availability_zone_id": "use1-az1", "tags": {"ChatbotTier": "ecs-private"}}
    out = evaluate(harness, "tier", mock_subnets=subnets)
    assert "subnet-ecs-1" not in out["db_subnet_ids"] and "subnet-ecs-1" not in out["apprunner_subnet_ids"]


def test_phase_one_creates_nothing_for_ecs(harness):
    out = evaluate(harness, "phase1")
    assert out["ecs_interface_endpoints"] == []


def test_service_environment(harness):
    out = evaluate(harness, "env")
    env = out["base_environment"]
    for name, value in contract.REQUIRED_SERVICE_ENV.items():
        assert name in env and (value is None or env[name] == value), name
    assert "CHAT_MODELS" not in env, "an empty allow-list must not be sent"
    assert set(env) <= contract.APP_ENV_VARS
    assert set(out["secret_environment"]) == contract.SECRET_ENV_VARS
    out = evaluate(harness, "env2", chat_models=["amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0"], extra_environment_variables={"RATE_LIMIT_GUEST": "5"}, aws_profile="sandbox")
    assert out["base_environment"]["CHAT_MODELS"] == "amazon.nova-lite-v1:0,amazon.nova-pro-v1:0"
    assert out["base_environment"]["RATE_LIMIT_GUEST"] == "5"
    assert out["cli_flags"] == "--region us-east-1 --profile sandbox"


@pytest.mark.parametrize("password", ["correct-horse-battery", "p:ss#w?rd%+&=!~*()'x"])
def test_postgres_url_round_trips_any_allowed_password(harness, password):
    out = evaluate(harness, f"url-{len(password)}", db_password=password, mock_password=password)
    url = urllib.parse.urlsplit(out["postgres_url"])
    assert url.scheme == "postgresql" and url.hostname == "db.internal" and url.port == 5432
    assert urllib.parse.unquote(url.password) == password
    assert urllib.parse.parse_qs(url.query) == {"sslmode": ["require"]}
    assert url.path == "/chatbot" and url.username == "chatbot_admin"


def test_null_from_an_environment_means_the_default(harness):
    out = evaluate(harness, "nulls", deletion_protection=None, publicly_accessible=None, apprunner_cpu=None, ecs_memory=None)
    assert out["defaults"] == {"deletion_protection": True, "publicly_accessible": False, "apprunner_cpu": "512", "ecs_memory": "1024"}


@pytest.mark.parametrize(
    "variables, message",
    [
        ({"db_password": "short"}, "db_password"),
        ({"db_password": "has@at-sign-inside"}, "db_password"),
        ({"auth_secret": "too-short"}, "auth_secret"),
        ({"admin_cidr_blocks": ["0.0.0.0/0"]}, "admin_cidr_blocks"),
        ({"apprunner_services": ["Prod"]}, "apprunner_services"),
        ({"auth_urls": {"prod": "https://chat.example.com/path"}}, "auth_urls"),
        ({"log_retention_days": 10}, "log_retention_days"),
        ({"autoscaling_min_size": 26}, "autoscaling_min_size"),
        ({"autoscaling_max_size": 26}, "autoscaling_max_size"),
        ({"autoscaling_min_size": 5, "autoscaling_max_size": 4}, "autoscaling_max_size"),
        ({"autoscaling_max_concurrency": 201}, "autoscaling_max_concurrency"),
        ({"ecs_express_services": ["Prod"]}, "ecs_express_services"),
        ({"ecs_cpu": "512", "ecs_memory": "512"}, "ecs_memory"),
        ({"ecs_cpu": "300"}, "ecs_cpu"),
        ({"ecs_scaling_metric": "CPU"}, "ecs_scaling_metric"),
        ({"ecs_subnet_ids": ["subnet-only-one"]}, "ecs_subnet_ids"),
        ({"ecs_min_tasks": 3, "ecs_max_tasks": 2}, "ecs_max_tasks"),
        ({"alarm_email": "not-an-address"}, "alarm_email"),
        ({"attachments_noncurrent_days": 0}, "attachments_noncurrent_days"),
        ({"cognito_domain_prefix": "my-aws-login"}, "cognito_domain_prefix"),
        ({"cognito_callback_origins": ["https://chat.example.com/app"]}, "cognito_callback_origins"),
        ({"cognito_callback_origins": ["http://chat.example.com"]}, "cognito_callback_origins"),
        ({"oidc_issuer": "http://login.example.com"}, "oidc_issuer"),
        ({"oidc_issuer": "https://login.example.com", "oidc_client_id": "abc"}, "oidc_client_secret"),
        ({"alarm_sns_topic_arn": "my-topic"}, "alarm_sns_topic_arn"),
        ({"alarm_5xx_rate_percent": 0}, "alarm_5xx_rate_percent"),
        ({"alarm_db_connections_percent": 120}, "alarm_db_connections_percent"),
        ({"alarm_latency_p99_ms": 5}, "alarm_latency_p99_ms"),
    ],
)
def test_validations_refuse_bad_values(harness, variables, message):
    name = "bad-" + "-".join(variables)
    result = evaluate(harness, name, **variables)
    assert isinstance(result, str), f"{variables} was accepted"
    assert "Invalid value for variable" in result and message in result


def test_every_file_is_terraform_fmt_clean():
    """`terraform fmt` parses every file with Terraform's own HCL parser, and the style is the canonical one."""
    result = _run(["fmt", "-check", "-recursive", "-diff", "-no-color", "."], MODULE.parents[1])
    assert result.returncode == 0, result.stdout + result.stderr


def test_alarm_thresholds_and_topic(harness):
    """Issue 14.2: max_connections as RDS computes it; the alarms notify the module's topic or the caller's."""
    out = evaluate(harness, "alarms")
    # db.t3.micro: (1 GiB - 384 MiB) / 9531392 = 70 connections (RDS reports about 80); 80% of it.
    assert out["db_max_connections"] == 70 and out["db_connections_threshold"] == 56
    assert out["alarm_actions"] == ["arn:aws:sns:us-east-1:123456789012:chatbot-dev-alarms"]
    assert out["alarm_latency_p99_seconds"] == 10, "ALB TargetResponseTime is in seconds"
    out = evaluate(harness, "alarms-large", db_instance_class="db.r7g.large", alarm_db_connections_percent=50)
    assert out["db_max_connections"] == 1760 and out["db_connections_threshold"] == 880
    out = evaluate(harness, "alarms-own", db_instance_class="db.x2g.large", db_max_connections=400, alarm_sns_topic_arn="arn:aws:sns:us-east-1:123456789012:team")
    assert out["db_max_connections"] == 400 and out["db_connections_threshold"] == 320
    assert out["alarm_actions"] == ["arn:aws:sns:us-east-1:123456789012:team"]
    out = evaluate(harness, "alarms-off", alarms_enabled=False)
    assert out["alarm_actions"] == []
