"""hadolint and checkov over the Dockerfile and infrastructure/.

checkov runs fully offline (--skip-download, BC_SKIP_MAPPING, no API key):
nothing is fetched from Prisma Cloud / Bridgecrew. Every accepted finding is an
inline `#checkov:skip=ID:reason` next to the resource it concerns; the set of
skipped checks is pinned below, so a new skip is a visible change here too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from infra_helpers import INFRA, REPO, checkov_env, ensure_checkov, venv_tool

# check id -> resources (module-relative) allowed to skip it, each with its reason inline.
ACCEPTED_SKIPS = {
    "CKV_AWS_51": {"aws_ecr_repository.this"},  # mutable tags: the guide redeploys :latest
    "CKV_AWS_157": {"aws_db_instance.this"},  # Multi-AZ is a variable (cost)
    "CKV_AWS_118": {"aws_db_instance.this"},  # enhanced monitoring (extra role, cost)
    "CKV_AWS_353": {"aws_db_instance.this"},  # Performance Insights (being retired)
    "CKV_AWS_354": {"aws_db_instance.this"},  # ... so nothing to encrypt
    "CKV_AWS_149": {"aws_secretsmanager_secret.postgres_url", "aws_secretsmanager_secret.auth_secret", "aws_secretsmanager_secret.oidc_client_secret"},  # AWS-managed KMS key
    "CKV2_AWS_57": {"aws_secretsmanager_secret.postgres_url", "aws_secretsmanager_secret.auth_secret", "aws_secretsmanager_secret.oidc_client_secret"},  # no rotation Lambda
    "CKV_AWS_65": {"aws_ecs_cluster.this"},  # Container Insights is a variable (billed per metric)
    "CKV_AWS_158": {"aws_cloudwatch_log_group.ecs"},  # Logs' own encryption, no KMS key
    "CKV_AWS_338": {"aws_cloudwatch_log_group.ecs"},  # retention is log_retention_days
    "CKV2_AWS_5": {"aws_security_group.ecs_tasks"},  # attached to aws_ecs_express_gateway_service, unknown to the check
    "CKV_AWS_18": {"aws_s3_bucket.attachments"},  # no access-log bucket; CloudTrail data events when an audit needs them
    "CKV_AWS_144": {"aws_s3_bucket.attachments"},  # no cross-Region replication of users' uploads
    "CKV2_AWS_62": {"aws_s3_bucket.attachments"},  # no consumer of object events
    "CKV_DOCKER_7": {"Dockerfile.", "Dockerfile.FROM"},  # FROM ${ARG}: the ARG right above holds the version tag (a file-wide skip)
}

# Resources that exist only once a compute target is switched on: checkov must have scanned them.
BOTH_TARGETS = Path(__file__).with_name("checkov-both-targets.tfvars")
MUST_BE_SCANNED = {"aws_secretsmanager_secret.oidc_client_secret", "aws_s3_bucket.attachments", "aws_s3_bucket_policy.attachments", "aws_sns_topic.alarms", "aws_kms_key.alarms", "aws_cloudwatch_metric_alarm.db", "aws_cloudwatch_metric_alarm.apprunner_5xx_rate", "aws_ecs_cluster.this", "aws_security_group.ecs_tasks", "aws_iam_role.ecs_task", "aws_cloudwatch_log_group.ecs", "aws_subnet.ecs_private"}


def test_hadolint_clean():
    hadolint = venv_tool("hadolint")
    assert hadolint, "hadolint not installed: pip install -r requirements-dev.txt"
    result = subprocess.run([str(hadolint), "--no-color", "Dockerfile"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def resource_name(resource: str) -> str:
    """module.chatbot.aws_x.y["prod"] -> aws_x.y"""
    return re.sub(r"\[[^\]]*\]$", "", resource.removeprefix("module.chatbot."))


@pytest.fixture(scope="module")
def checkov_reports(tmp_path_factory) -> dict[str, dict]:
    """Both checkov runs at once (each spends ~20 s starting up), as {check_type: report}.

    checkov evaluates `count`/`for_each` with the variables it finds, so the
    Terraform scan runs on a copy of infrastructure/ whose dev folder switches
    on both compute targets (checkov-both-targets.tfvars as an .auto.tfvars).
    """
    checkov = ensure_checkov()
    scan = tmp_path_factory.mktemp("checkov")
    shutil.copytree(INFRA, scan / "infrastructure", symlinks=True, ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", "terraform.tfvars"))
    shutil.copytree(REPO / "catalog", scan / "catalog")
    shutil.copy(BOTH_TARGETS, scan / "infrastructure" / "dev" / "both-targets.auto.tfvars")
    runs = {
        "infrastructure": ([str(checkov), "-d", "infrastructure"], scan),
        "dockerfile": ([str(checkov), "-f", "Dockerfile", "--framework", "dockerfile"], REPO),
    }
    # Not --quiet: the skipped and passed checks are needed below.
    common = ["--skip-download", "--output", "json"]

    def run(job):
        args, cwd = job
        result = subprocess.run(args + common, cwd=cwd, env=checkov_env(), capture_output=True, text=True, timeout=600)
        # Exit code 1 means failed checks; anything else unexpected is a tool error.
        assert result.returncode in (0, 1), result.stderr[-3000:]
        return json.loads(result.stdout) if result.stdout.strip() else []

    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = dict(zip(runs, pool.map(run, runs.values())))
    reports: dict[str, dict] = {}
    for output in outputs.values():
        for report in output if isinstance(output, list) else [output]:
            if report:
                reports[report["check_type"]] = report
    return reports


def test_checkov_scanned_terraform_and_dockerfile(checkov_reports):
    assert "terraform" in checkov_reports
    assert "dockerfile" in checkov_reports
    assert checkov_reports["terraform"]["summary"]["passed"] > 100
    assert checkov_reports["dockerfile"]["summary"]["passed"] > 20
    for report in checkov_reports.values():
        assert report["summary"]["parsing_errors"] == 0, report["check_type"]
    results = checkov_reports["terraform"]["results"]
    scanned = {resource_name(c["resource"]) for kind in ("passed_checks", "failed_checks", "skipped_checks") for c in results.get(kind, [])}
    assert MUST_BE_SCANNED <= scanned, f"checkov did not scan: {MUST_BE_SCANNED - scanned}"


def test_checkov_no_failed_checks(checkov_reports):
    failures = []
    for report in checkov_reports.values():
        for check in report["results"].get("failed_checks", []):
            failures.append(f'{check["check_id"]} {check["resource"]} ({check["file_path"]}:{check["file_line_range"]}): {check["check_name"]}')
    assert not failures, "\n".join(failures)


def test_checkov_skips_are_the_accepted_ones_and_justified(checkov_reports):
    for report in checkov_reports.values():
        for check in report["results"].get("skipped_checks", []):
            check_id = check["check_id"]
            resource = resource_name(check["resource"])
            assert check_id in ACCEPTED_SKIPS and resource in ACCEPTED_SKIPS[check_id], f"unexpected skip {check_id} on {resource}"
            reason = (check.get("check_result") or {}).get("suppress_comment") or ""
            assert len(reason) > 30, f"{check_id} on {resource}: the skip needs a real reason"
