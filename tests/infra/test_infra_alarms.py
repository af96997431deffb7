"""CloudWatch alarms (issue 14 item 2), for both compute targets and the database.

The metric names, namespaces and dimensions are the ones AWS documents for each
service (read 2026-11-29; sources in alarms.tf and docs/aws-deployment.md):
an alarm on a metric name or dimension set that the service does not publish
stays INSUFFICIENT_DATA forever and never fires, so they are pinned here.
The ECS expressions are evaluated with Terraform (no provider) for services
with one and with two target groups.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from infra_helpers import MODULE, REPO, blocks, expr, load_tf, module_resources, module_variables, one

# Per service, what AWS publishes.
APPRUNNER_METRICS = {"5xxStatusResponses", "Requests", "RequestLatency", "ActiveInstances"}
APPRUNNER_DIMENSIONS = {"ServiceName", "ServiceID"}
ALB_METRICS = {"HTTPCode_Target_5XX_Count", "RequestCount", "TargetResponseTime", "HealthyHostCount", "UnHealthyHostCount"}
ALB_DIMENSIONS = {"LoadBalancer", "TargetGroup"}
RDS_METRICS = {"CPUUtilization", "FreeStorageSpace", "DatabaseConnections"}
# Key in the module's db_alarms (alarm <project>-<env>-db-<key>) -> metric.
DB_ALARMS = {"cpu": "CPUUtilization", "free-storage": "FreeStorageSpace", "connections": "DatabaseConnections"}

# The four alarm kinds every service of either target has.
KINDS = {"5xx-rate", "latency-p99", "at-max", "health-check-failed"}
APPRUNNER_ALARMS = {"apprunner_5xx_rate": "5xx-rate", "apprunner_latency_p99": "latency-p99", "apprunner_at_max": "at-max", "apprunner_health": "health-check-failed"}
ECS_KINDS = {"5xx-rate": "5xx-rate", "latency-p99": "latency-p99", "at-max-tasks": "at-max", "health-check-failed": "health-check-failed"}

# Attributes of the provider's aws_ecs_service data source the target-group
# lookup reads (internal/service/ecs/service_data_source.go, read 2026-11-29),
# and the computed attributes of aws_ecs_express_gateway_service (none names the
# load balancer: the reason for the lookup).
ECS_SERVICE_DATA_LOAD_BALANCER = {"container_name", "container_port", "elb_name", "target_group_arn", "advanced_configuration"}
EXPRESS_COMPUTED = {"current_deployment", "ingress_paths", "service_arn", "service_revision_arn", "tags_all"}


def alarms() -> dict[str, dict]:
    return {name: body for (rtype, name), body in module_resources().items() if rtype == "aws_cloudwatch_metric_alarm"}


def alarms_locals() -> dict:
    from infra_helpers import load_tf

    out: dict = {}
    for entry in load_tf(MODULE / "alarms.tf").get("locals", []):
        out.update(entry)
    return out


def ecs_locals() -> dict:
    from infra_helpers import load_tf

    out: dict = {}
    for entry in load_tf(MODULE / "alarms_ecs.tf").get("locals", []):
        out.update(entry)
    return out


def test_one_alarm_of_each_kind_per_service_and_target():
    found = alarms()
    for name, kind in APPRUNNER_ALARMS.items():
        assert found[name]["for_each"] == "${local.alarm_apprunner}", name
    assert set(APPRUNNER_ALARMS.values()) == KINDS
    assert set(ecs_locals()["ecs_alarms"]) == set(ECS_KINDS)
    assert set(ECS_KINDS.values()) == KINDS
    ecs = found["ecs"]
    assert ecs["for_each"] == "${local.ecs_alarm_instances}"
    assert "setproduct(tolist(local.alarm_ecs), keys(local.ecs_alarms))" in expr(ecs_locals()["ecs_alarm_instances"])
    assert found["db"]["for_each"] == "${{for k, v in local.db_alarms : k => v if var.alarms_enabled}}"
    assert set(alarms_locals()["db_alarms"]) == set(DB_ALARMS)
    text = " ".join((MODULE / "alarms.tf").read_text(encoding="utf-8").split())
    assert "alarm_apprunner = var.alarms_enabled ? local.services : toset([])" in text
    assert "alarm_ecs = var.alarms_enabled && var.ecs_alarms_enabled ? local.ecs_services : toset([])" in text


def test_every_alarm_notifies_the_topic_on_alarm_and_ok():
    for name, body in alarms().items():
        assert body["alarm_actions"] == "${local.alarm_actions}", name
        assert body["ok_actions"] == "${local.alarm_actions}", name
        assert "docs/aws-deployment.md#alarms" in body["alarm_description"], f"{name}: the description points at what to do"
    res = module_resources()
    topic = res[("aws_sns_topic", "alarms")]
    assert topic["count"] == "${local.create_alarm_topic ? 1 : 0}"
    subscription = res[("aws_sns_topic_subscription", "alarm_email")]
    assert subscription["protocol"] == "email" and subscription["endpoint"] == "${var.alarm_email}"
    assert subscription["topic_arn"] == "${aws_sns_topic.alarms[0].arn}"
    assert "var.alarm_email != null" in subscription["count"]
    text = (MODULE / "alarms.tf").read_text(encoding="utf-8")
    assert "coalesce(var.alarm_sns_topic_arn, one(aws_sns_topic.alarms[*].arn))" in text
    assert "create_alarm_topic = var.alarms_enabled && var.alarm_sns_topic_arn == null" in " ".join(text.split())


def test_app_runner_alarms_use_its_published_metrics():
    found = alarms()
    metric_names = set()
    for name in APPRUNNER_ALARMS:
        body = found[name]
        queries = body.get("metric_query") or []
        if "namespace" in body:
            if body["namespace"] == "AWS/AppRunner":
                metric_names.add(body["metric_name"])
                assert set(body["dimensions"]) == APPRUNNER_DIMENSIONS, name
        for query in queries:
            for entry in query.get("dynamic", []):
                content = one(entry["metric_query"]["content"])
                metric = one(content["metric"])
                assert metric["namespace"] == "AWS/AppRunner"
                assert set(metric["dimensions"]) == APPRUNNER_DIMENSIONS
        if name == "apprunner_5xx_rate":
            text = expr(body)
            assert "5xxStatusResponses" in text and "Requests" in text
            metric_names |= {"5xxStatusResponses", "Requests"}
    assert metric_names == APPRUNNER_METRICS
    assert found["apprunner_latency_p99"]["extended_statistic"] == "p99"
    assert found["apprunner_at_max"]["threshold"] == "${var.autoscaling_max_size}"


def test_app_runner_health_alarm_counts_the_apps_own_log_line():
    """App Runner publishes no health-check metric; the app logs each failed /api/health."""
    health = (REPO / "Sources" / "App" / "Controllers" / "HealthController.swift").read_text(encoding="utf-8")
    log_handler = (REPO / "Sources" / "App" / "Configuration" / "JSONLogHandler.swift").read_text(encoding="utf-8")
    assert 'logger.warning("health check failed"' in health, "the app's message changed: change the metric filter too"
    assert '"message": event.message.description' in log_handler, "the JSON log field changed"
    metric_filter = module_resources()[("aws_cloudwatch_log_metric_filter", "apprunner_health_failed")]
    assert metric_filter["pattern"] == '{ $.message = "health check failed" }'
    assert metric_filter["log_group_name"].endswith("/application")
    assert "${terraform_data.log_retention}" in metric_filter["depends_on"], "the log group exists before the filter"
    alarm = alarms()["apprunner_health"]
    assert alarm["namespace"] == "${local.alarm_log_namespace}"
    assert "metric_transformation[0].name" in alarm["metric_name"]


def test_rds_alarms():
    body = alarms()["db"]
    assert body["namespace"] == "AWS/RDS"
    assert body["dimensions"] == {"DBInstanceIdentifier": "${aws_db_instance.this.identifier}"}
    assert body["alarm_name"] == "${local.alarm_prefix}db-${each.key}"
    assert body["metric_name"] == "${each.value.metric}" and body["threshold"] == "${each.value.threshold}"
    db = alarms_locals()["db_alarms"]
    assert {k: v["metric"] for k, v in db.items()} == DB_ALARMS and set(DB_ALARMS.values()) == RDS_METRICS
    assert db["free-storage"]["threshold"] == "${var.alarm_db_free_storage_gib * 1073741824}", "FreeStorageSpace is in bytes"
    assert db["free-storage"]["comparison"] == "LessThanThreshold"
    assert db["connections"]["threshold"] == "${local.db_connections_threshold}"
    assert db["cpu"]["threshold"] == "${var.alarm_db_cpu_percent}"


def test_rds_alarms_kept_their_state_addresses():
    """They were db_cpu, db_free_storage and db_connections (count); moved blocks keep deployed alarms."""
    moved = load_tf(MODULE / "alarms.tf").get("moved", [])
    pairs = {m["from"].strip("${}"): m["to"].strip("${}") for m in moved}
    assert pairs == {f"aws_cloudwatch_metric_alarm.db_{old}[0]": f'aws_cloudwatch_metric_alarm.db["{new}"]' for old, new in {"cpu": "cpu", "free_storage": "free-storage", "connections": "connections"}.items()}


def test_plan_warns_when_the_pools_at_full_scale_reach_the_connections_alarm():
    swift = (REPO / "Sources" / "Storage" / "DatabaseConfiguration.swift").read_text(encoding="utf-8")
    default = int(re.search(r"static let defaultPoolSize = (\d+)", swift).group(1))
    local = alarms_locals()
    assert local["db_pool_size"] == f'${{try(tonumber(var.extra_environment_variables["DATABASE_POOL_SIZE"]), {default})}}', "the app's default pool size"
    tasks = expr(local["db_tasks_at_full_scale"])
    assert "length(local.ecs_services) * var.ecs_max_tasks" in tasks and "length(local.services) * var.autoscaling_max_size" in tasks, "both targets share the database"
    assert local["db_connections_at_full_scale"] == "${local.db_tasks_at_full_scale * (local.db_pool_size + 1)}", "one LISTEN connection per task"
    check = one(blocks(MODULE / "alarms.tf", "check")["db_connections_budget"]["assert"])
    # The alarm fires at >= threshold, so the budget is strictly below it.
    assert "local.db_connections_at_full_scale < local.db_connections_threshold" in check["condition"]


def test_alarm_topic_is_optional_and_encrypted_with_a_key_cloudwatch_may_use():
    res = module_resources()
    topic = res[("aws_sns_topic", "alarms")]
    key = res[("aws_kms_key", "alarms")]
    for body in (topic, key, res[("aws_kms_alias", "alarms")]):
        assert body["count"] == "${local.create_alarm_topic ? 1 : 0}", "no topic or key when alarm_sns_topic_arn is given"
    # Not alias/aws/sns: CloudWatch cannot publish to a topic under the AWS-managed key.
    assert topic["kms_master_key_id"] == "${aws_kms_key.alarms[0].arn}"
    assert key["enable_key_rotation"] is True
    policy = expr(key["policy"])
    assert "cloudwatch.amazonaws.com" in policy
    assert "kms:GenerateDataKey*" in policy and "kms:Decrypt" in policy
    principals = re.findall(r'Principal = \{(\w+) = "([^"]+)"\}', policy)
    assert principals == [("AWS", "arn:${local.partition}:iam::${local.account_id}:root"), ("Service", "cloudwatch.amazonaws.com")], "the account administers the key; no wildcard principal"


def test_alarm_variables_are_documented_and_validated():
    variables = module_variables()
    names = [n for n in variables if n.startswith("alarm") or n in ("ecs_alarms_enabled", "db_max_connections")]
    assert len(names) >= 11
    for name in names:
        body = variables[name]
        assert len(body.get("description", "")) > 30, name
        assert "type" in body, name
        if body["type"] != "bool":
            assert body.get("validation"), f"{name}: a value outside its range fails at plan"
        else:
            assert body.get("nullable") is False, name
    guide = (REPO / "docs" / "aws-deployment.md").read_text(encoding="utf-8")
    for name in names:
        assert re.search(rf"`{name}[` ]", guide), f"{name} is not in the guide"


def test_threshold_defaults():
    variables = module_variables()
    defaults = {"alarms_enabled": True, "ecs_alarms_enabled": True, "alarm_email": None, "alarm_sns_topic_arn": None, "alarm_5xx_rate_percent": 5, "alarm_min_requests": 20, "alarm_latency_p99_ms": 10000, "alarm_db_cpu_percent": 80, "alarm_db_free_storage_gib": 2, "alarm_db_connections_percent": 80, "db_max_connections": None}
    for name, default in defaults.items():
        assert variables[name].get("default", "<absent>") == default, name
        assert variables[name].get("description")


def test_ecs_alarms_find_the_load_balancer_through_the_ecs_service():
    data = blocks(MODULE / "alarms_ecs.tf", "data")
    service = data["aws_ecs_service"]["express"]
    assert "aws_ecs_express_gateway_service.this[each.key].service_arn" in service["service_name"], "waits for the service"
    assert service["cluster_arn"] == "${aws_ecs_cluster.this[0].arn}"
    arns = expr(ecs_locals()["ecs_target_group_arns"])
    for attribute in ("target_group_arn", "advanced_configuration", "alternate_target_group_arn"):
        assert attribute in arns
    assert {"target_group_arn", "advanced_configuration"} <= ECS_SERVICE_DATA_LOAD_BALANCER
    assert "load_balancer_arns" in expr(ecs_locals()["ecs_alarm_dimensions"])
    lookup = data["aws_lb_target_group"]["express"]
    assert lookup["arn"] == "${try(local.ecs_target_group_arns[each.key][0], null)}"
    assert "ecs_alarms_enabled = false" in expr(lookup["lifecycle"]), "a clear way out if the lookup finds nothing"
    # No attribute of the Express resource names the load balancer (else the lookup would be pointless).
    text = (MODULE / "alarms_ecs.tf").read_text(encoding="utf-8")
    for attribute in EXPRESS_COMPUTED - {"service_arn"}:
        assert f".{attribute}" not in text


def test_ecs_alarms_use_the_load_balancers_metrics():
    ecs_alarms = ecs_locals()["ecs_alarms"]
    names = {metric[0] for alarm in ecs_alarms.values() for metric in alarm["metrics"].values()}
    assert names == ALB_METRICS
    body = alarms()["ecs"]
    dynamic = one(one(body["dynamic"])["metric_query"]["content"])
    metric = one(dynamic["metric"])
    assert metric["namespace"] == "AWS/ApplicationELB"
    dimensions = expr(ecs_locals()["ecs_alarm_dimensions"])
    for name in ALB_DIMENSIONS:
        assert f"{name} " in dimensions or f"{name}=" in dimensions.replace(" ", "")
    assert ecs_alarms["latency-p99"]["threshold"] == "${local.alarm_latency_p99_seconds}", "TargetResponseTime is in seconds"
    assert ecs_alarms["at-max-tasks"]["threshold"] == "${var.ecs_max_tasks}"


TF_HEADER = """
variable "alarm_5xx_rate_percent" { default = 5 }
variable "alarm_min_requests" { default = 20 }
variable "alarm_latency_p99_ms" { default = 10000 }
variable "ecs_max_tasks" { default = 3 }
variable "dimensions" { type = any }
locals {
  alarm_latency_p99_seconds = var.alarm_latency_p99_ms / 1000
  alarm_ecs                 = toset(keys(var.dimensions))
  ecs_alarm_dimensions      = var.dimensions
}
"""


@pytest.mark.skipif(not shutil.which("terraform"), reason="no terraform binary on PATH")
def test_ecs_alarm_expressions_evaluate(tmp_path):
    """The module's own ECS locals and query list, evaluated for one and two target groups."""
    source = (MODULE / "alarms_ecs.tf").read_text(encoding="utf-8")
    start = source.index("  # What each ECS alarm watches")
    end = source.index("\n}\n", start)
    queries = re.search(r'dynamic "metric_query" \{\s*for_each = (flatten\(\[.*?\]\))\n', source, flags=re.S).group(1)
    queries = queries.replace("each.value.kind", "v.kind").replace("each.value.service", "v.service")
    (tmp_path / "main.tf").write_text(
        TF_HEADER + "locals {\n" + source[start:end] + "\n}\n"
        + 'output "alarms" {\n  value = { for k, v in local.ecs_alarm_instances : k => {\n'
        + "    expression = local.ecs_alarm_expressions[v.service][v.kind]\n    threshold = local.ecs_alarms[v.kind].threshold\n"
        + f"    queries = {queries}\n  }} }}\n}}\n",
        encoding="utf-8",
    )
    lb = "app/chatbot-dev/0123456789abcdef"
    dimensions = {
        "prod": [{"LoadBalancer": lb, "TargetGroup": "targetgroup/blue/1"}, {"LoadBalancer": lb, "TargetGroup": "targetgroup/green/2"}],
        "staging": [{"LoadBalancer": lb, "TargetGroup": "targetgroup/only/3"}],
    }
    (tmp_path / "x.auto.tfvars.json").write_text(json.dumps({"dimensions": dimensions}), encoding="utf-8")
    env = {"TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1", "PATH": "/usr/local/bin:/usr/bin:/bin", "TF_CLI_CONFIG_FILE": "/dev/null"}
    for args in (["init", "-no-color"], ["apply", "-auto-approve", "-no-color"]):
        result = subprocess.run(["terraform", *args], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
        assert result.returncode == 0, result.stderr + result.stdout
    out = json.loads(subprocess.run(["terraform", "output", "-json", "alarms"], cwd=tmp_path, capture_output=True, text=True, env=env, check=True).stdout)
    assert set(out) == {f"{s}/{k}" for s in dimensions for k in ECS_KINDS}
    two = out["prod/5xx-rate"]
    assert two["expression"] == "IF((FILL(r0, 0) + FILL(r1, 0)) >= 20, 100 * (FILL(e0, 0) + FILL(e1, 0)) / (FILL(r0, 0) + FILL(r1, 0)), 0)"
    assert {q["id"] for q in two["queries"]} == {"e0", "e1", "r0", "r1"}
    assert {q["dimensions"]["TargetGroup"] for q in two["queries"]} == {"targetgroup/blue/1", "targetgroup/green/2"}
    assert out["prod/latency-p99"]["expression"] == "IF(FILL(l0, 0) > FILL(l1, 0), FILL(l0, 0), FILL(l1, 0))"
    assert out["prod/latency-p99"]["threshold"] == 10
    assert out["staging/latency-p99"]["expression"] == "FILL(l0, 0)"
    assert out["staging/health-check-failed"]["expression"] == "(FILL(u0, 0))"
    assert out["prod/at-max-tasks"]["threshold"] == 3
    for alarm in out.values():
        # Every id the expression names is a query; PutMetricAlarm takes at most 10 metrics.
        ids = {q["id"] for q in alarm["queries"]}
        assert set(re.findall(r"\b([a-z]\d)\b", alarm["expression"])) == ids
        assert len(ids) <= 10
        for query in alarm["queries"]:
            assert query["name"] in ALB_METRICS and set(query["dimensions"]) == ALB_DIMENSIONS
