"""The ECS Express Mode target, checked as closely as App Runner's (issue 10).

Every argument of aws_ecs_express_gateway_service is compared with the
provider's schema (hashicorp/terraform-provider-aws,
internal/service/ecs/express_gateway_service.go, read 2026-11-29; attribute and
block names below), so a typo or an argument the provider does not have fails
here rather than at `terraform plan` on someone's account.
"""

from __future__ import annotations

import botocore.session

import infra_contract as contract
from infra_helpers import MODULE, blocks, expr, module_locals, module_resources, module_variables, one

# The resource's schema: top-level attributes and blocks, and those of its blocks.
SCHEMA_ATTRIBUTES = {
    "cluster", "cpu", "execution_role_arn", "health_check_path", "infrastructure_role_arn", "memory",
    "region", "service_name", "tags", "task_role_arn", "wait_for_steady_state",
}
SCHEMA_COMPUTED = {"current_deployment", "ingress_paths", "service_arn", "service_revision_arn", "tags_all"}
SCHEMA_BLOCKS = {
    "primary_container": {"aws_logs_configuration", "command", "container_port", "image", "environment", "repository_credentials", "secret"},
    "network_configuration": {"security_groups", "subnets"},
    "scaling_target": {"auto_scaling_metric", "auto_scaling_target_value", "max_task_count", "min_task_count"},
    "timeouts": {"create", "update", "delete"},
}
META_ARGUMENTS = {"for_each", "count", "depends_on", "lifecycle", "provider"}


def service() -> dict:
    return module_resources()[("aws_ecs_express_gateway_service", "this")]


def container() -> dict:
    """primary_container with its `dynamic "x"` blocks filed under x, as the provider sees them."""
    body = dict(one(service()["primary_container"]))
    for entry in body.pop("dynamic", []):
        body.update(entry)
    return body


def test_every_argument_is_in_the_providers_schema():
    body = service()
    for name in body:
        assert name in SCHEMA_ATTRIBUTES | set(SCHEMA_BLOCKS) | META_ARGUMENTS, f"{name} is not an argument of aws_ecs_express_gateway_service"
        assert name not in SCHEMA_COMPUTED, f"{name} is computed only"
    for block, members in SCHEMA_BLOCKS.items():
        if block in body and block != "primary_container":
            for name in one(body[block]):
                assert name in members, f"{block}.{name} is not in the provider's schema"
    for name in container():
        assert name in SCHEMA_BLOCKS["primary_container"], f"primary_container.{name} is not in the provider's schema"
    assert set(one(container()["aws_logs_configuration"])) <= {"log_group", "log_stream_prefix"}


def test_required_arguments_and_roles():
    body = service()
    assert body["for_each"] == "${local.ecs_services}"
    assert module_locals()["ecs_services"] == "${toset(var.ecs_express_services)}"
    assert body["execution_role_arn"] == "${aws_iam_role.ecs_execution[0].arn}"
    assert body["infrastructure_role_arn"] == "${aws_iam_role.ecs_infrastructure[0].arn}"
    assert body["task_role_arn"] == "${aws_iam_role.ecs_task[0].arn}"
    assert body["cluster"] == "${aws_ecs_cluster.this[0].name}"
    assert body["service_name"] == "${local.name}-${each.key}"


def test_health_check_port_cpu_and_memory():
    body = service()
    assert body["health_check_path"] == contract.HEALTH_PATH
    assert container()["container_port"] == "${tonumber(local.container_port)}"
    assert module_locals()["container_port"] == str(contract.PORT)
    assert body["cpu"] == "${var.ecs_cpu}" and body["memory"] == "${var.ecs_memory}"


def test_image_is_this_repository_by_digest():
    assert container()["image"] == "${aws_ecr_repository.this.repository_url}@${data.aws_ecr_image.ecs[each.key].id}"
    lookup = blocks(MODULE / "ecs.tf", "data")["aws_ecr_image"]["ecs"]
    assert lookup["image_tag"] == "${lookup(var.image_tags, each.key, var.image_tag)}"


def test_environment_and_secrets_are_the_same_as_app_runners():
    environment = expr(container()["environment"])
    assert "local.base_environment" in environment and "AUTH_URL" in environment and "var.ecs_auth_urls" in environment
    secrets = expr(container()["secret"])
    assert "local.secret_environment" in secrets and "value_from" in secrets
    for name in contract.SECRET_ENV_VARS | contract.SSO_SECRET_ENV_VARS:
        assert name in expr(module_locals()["secret_environment"]), name


def test_logs_go_to_a_terraform_owned_group_with_retention():
    logs = one(container()["aws_logs_configuration"])
    assert logs["log_group"] == "${aws_cloudwatch_log_group.ecs[each.key].name}"
    group = module_resources()[("aws_cloudwatch_log_group", "ecs")]
    assert group["retention_in_days"] == "${var.log_retention_days}"
    assert group["for_each"] == "${local.ecs_services}"


def test_scaling_target_sets_both_metric_and_value():
    """hashicorp/terraform-provider-aws#49511: leaving either out fails the apply."""
    scaling = one(service()["scaling_target"])
    assert scaling["auto_scaling_metric"] == "${var.ecs_scaling_metric}"
    assert scaling["auto_scaling_target_value"] == "${var.ecs_scaling_target_value}"
    assert scaling["min_task_count"] == "${var.ecs_min_tasks}"
    assert scaling["max_task_count"] == "${var.ecs_max_tasks}"
    # The variable accepts exactly the API's values (botocore's own model).
    model = botocore.session.get_session().get_service_model("ecs")
    assert model.shape_for("ExpressGatewayServiceScalingMetric").enum == contract.ECS_SCALING_METRICS
    assert all(f'"{metric}"' in expr(module_variables()["ecs_scaling_metric"]["validation"]) for metric in contract.ECS_SCALING_METRICS)


def test_arguments_match_the_ecs_api():
    """The provider maps these arguments onto CreateExpressGatewayService; the API must have each."""
    request = botocore.session.get_session().get_service_model("ecs").operation_model("CreateExpressGatewayService").input_shape.members
    for argument, member in {
        "execution_role_arn": "executionRoleArn", "infrastructure_role_arn": "infrastructureRoleArn", "task_role_arn": "taskRoleArn",
        "service_name": "serviceName", "cluster": "cluster", "health_check_path": "healthCheckPath", "cpu": "cpu", "memory": "memory",
        "primary_container": "primaryContainer", "network_configuration": "networkConfiguration", "scaling_target": "scalingTarget",
    }.items():
        assert argument in service()
        assert member in request, member


def test_private_subnets_and_task_security_group():
    network = one(service()["network_configuration"])
    assert network["subnets"] == "${local.ecs_subnet_ids}"
    assert network["security_groups"] == ["${aws_security_group.ecs_tasks[0].id}"]
    res = module_resources()
    subnet = res[("aws_subnet", "ecs_private")]
    assert subnet["count"] == "${local.ecs_create_subnets ? 2 : 0}", "at least two subnets"
    assert subnet["map_public_ip_on_launch"] is False
    assert "ChatbotTier" in expr(subnet["tags"])
    # The subnet filter of main.tf leaves them out, so they never move the DB or the connector.
    assert "local.ecs_subnet_tier" in expr(module_locals()["subnets"])
    # Their route table has no route out: no aws_route in the module at all.
    assert not [k for k in res if k[0] in ("aws_route", "aws_nat_gateway", "aws_internet_gateway")]
    assert res[("aws_route_table_association", "ecs_private")]["route_table_id"] == "${aws_route_table.ecs_private[0].id}"
    variable = module_variables()["ecs_subnet_ids"]
    assert "length(coalesce(var.ecs_subnet_ids" in expr(variable["validation"])


def test_endpoints_a_private_task_needs():
    res = module_resources()
    assert module_locals()["ecs_interface_endpoints"].count("ecr.api") == 1
    for name in ("ecr.api", "ecr.dkr", "logs"):
        assert f'"{name}"' in expr(module_locals()["ecs_interface_endpoints"])
    interface = res[("aws_vpc_endpoint", "interface")]
    assert interface["vpc_endpoint_type"] == "Interface" and interface["private_dns_enabled"] is True
    assert "local.ecs_interface_endpoints" in expr(interface["for_each"])
    s3 = res[("aws_vpc_endpoint", "s3")]
    assert s3["vpc_endpoint_type"] == "Gateway"
    assert s3["route_table_ids"] == "${local.s3_endpoint_route_table_ids}"
    assert "aws_route_table.ecs_private[*].id" in expr(module_locals()["s3_endpoint_route_table_ids"])
    # Bedrock and Secrets Manager endpoints serve both targets, from the same resource.
    for name in ("bedrock_runtime", "secretsmanager"):
        assert f"data.aws_vpc_endpoint_service.{name}.service_name" in expr(interface["for_each"])


def test_task_egress_is_postgres_endpoints_and_s3_only():
    res = module_resources()
    egress = {n: b for (t, n), b in res.items() if t == "aws_vpc_security_group_egress_rule" and b["security_group_id"] == "${aws_security_group.ecs_tasks[0].id}"}
    assert set(egress) == {"ecs_to_database", "ecs_to_endpoints", "ecs_to_s3", "ecs_to_internet"}
    assert egress["ecs_to_database"]["referenced_security_group_id"] == "${aws_security_group.database.id}"
    assert egress["ecs_to_endpoints"]["cidr_ipv4"] == "${data.aws_vpc.selected.cidr_block}"
    assert egress["ecs_to_s3"]["prefix_list_id"] == "${data.aws_prefix_list.s3.id}"
    # The NAT option is off unless asked for.
    assert egress["ecs_to_internet"]["count"] == "${local.ecs_enabled && var.ecs_egress_to_internet ? 1 : 0}"
    assert module_variables()["ecs_egress_to_internet"]["default"] is False


def test_roles_have_the_policies_express_mode_needs():
    res = module_resources()
    execution = res[("aws_iam_role_policy_attachment", "ecs_execution")]
    assert execution["policy_arn"].endswith(":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
    assert res[("aws_iam_role_policy", "ecs_execution_secrets")]["policy"] == "${data.aws_iam_policy_document.read_app_secrets.json}"
    infrastructure = res[("aws_iam_role_policy_attachment", "ecs_infrastructure")]
    assert infrastructure["policy_arn"].endswith(":iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices")
    for role in ("ecs_execution", "ecs_task", "ecs_infrastructure"):
        assert res[("aws_iam_role", role)]["count"] == "${local.ecs_enabled ? 1 : 0}", "phase 1 creates no ECS role"


def test_destroy_order_waits_for_the_service():
    """The service depends on what its tasks need, so destroy removes it first (no hang on a role without policies)."""
    depends = service()["depends_on"]
    for needed in (
        "aws_iam_role_policy_attachment.ecs_execution", "aws_iam_role_policy.ecs_execution_secrets", "aws_iam_role_policy.ecs_task",
        "aws_iam_role_policy_attachment.ecs_infrastructure", "aws_vpc_endpoint.interface", "aws_vpc_endpoint.s3",
        "aws_vpc_security_group_egress_rule.ecs_to_database", "aws_vpc_security_group_ingress_rule.database_from_ecs",
        "aws_secretsmanager_secret_version.postgres_url", "aws_secretsmanager_secret_version.auth_secret",
    ):
        assert f"${{{needed}}}" in depends, needed


def test_outputs_for_the_ecs_target():
    outputs = blocks(MODULE / "outputs.tf", "output")
    assert "s.service_arn" in expr(outputs["ecs_service_arns"]["value"])
    urls = expr(outputs["ecs_service_urls"]["value"])
    assert "ingress_paths" in urls and "https://" in urls and '"PUBLIC"' in urls
    assert expr(outputs["ecs_deployment_commands"]["value"]).count("terraform apply") == 1
