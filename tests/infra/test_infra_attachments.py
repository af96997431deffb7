"""The attachments bucket (issue 15 item 3): private, encrypted, versioned,
TLS only, a lifecycle rule; the app's roles on its objects only; S3 reached
through a gateway endpoint from both targets; S3_BUCKET in both environments.

The Terraform side only: the app reads S3_BUCKET once issue 15 lands.
"""

from __future__ import annotations

import re

import pytest

from infra_helpers import MODULE, blocks, expr, module_resources, module_variables, one
from test_infra_terraform_eval import US_EAST_1_SUBNETS, evaluate, harness  # noqa: F401  (the fixture)

OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]


def bucket_part(kind: str) -> dict:
    return module_resources()[(kind, "attachments")]


def test_bucket_is_private_encrypted_versioned_and_owned():
    assert one(bucket_part("aws_s3_bucket_ownership_controls")["rule"])["object_ownership"] == "BucketOwnerEnforced"
    block = bucket_part("aws_s3_bucket_public_access_block")
    for setting in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
        assert block[setting] is True, setting
    rule = one(bucket_part("aws_s3_bucket_server_side_encryption_configuration")["rule"])
    assert one(rule["apply_server_side_encryption_by_default"])["sse_algorithm"] == "aws:kms"
    assert rule["bucket_key_enabled"] is True
    assert one(bucket_part("aws_s3_bucket_versioning")["versioning_configuration"])["status"] == "Enabled"
    bucket = bucket_part("aws_s3_bucket")
    assert bucket["force_destroy"] == "${var.attachments_force_destroy}"
    assert module_variables()["attachments_force_destroy"]["default"] is False
    for kind in ("aws_s3_bucket_ownership_controls", "aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_policy"):
        assert bucket_part(kind)["bucket"] == "${aws_s3_bucket.attachments.id}", kind


def test_lifecycle_rule_removes_old_versions_and_stale_uploads():
    rule = one(bucket_part("aws_s3_bucket_lifecycle_configuration")["rule"])
    assert rule["status"] == "Enabled"
    assert one(rule["noncurrent_version_expiration"])["noncurrent_days"] == "${var.attachments_noncurrent_days}"
    assert one(rule["expiration"])["expired_object_delete_marker"] is True
    assert one(rule["abort_incomplete_multipart_upload"])["days_after_initiation"] == 1
    assert module_variables()["attachments_noncurrent_days"]["default"] == 30


def test_bucket_policy_refuses_plain_http():
    document = blocks(MODULE / "s3.tf", "data")["aws_iam_policy_document"]["attachments_bucket"]
    statement = one(document["statement"])
    assert statement["effect"] == "Deny" and statement["actions"] == ["s3:*"]
    assert statement["resources"] == ["${aws_s3_bucket.attachments.arn}", "${aws_s3_bucket.attachments.arn}/*"]
    condition = one(statement["condition"])
    assert (condition["test"], condition["variable"], condition["values"]) == ("Bool", "aws:SecureTransport", ["false"])
    assert one(statement["principals"])["identifiers"] == ["*"]
    assert bucket_part("aws_s3_bucket_policy")["policy"] == "${data.aws_iam_policy_document.attachments_bucket.json}"


def s3_statements(policy: dict) -> list[dict]:
    return [s for s in policy["Statement"] if any(a.startswith("s3:") for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]))]


def test_roles_may_only_get_put_delete_this_buckets_objects(harness):  # noqa: F811
    out = evaluate(harness, "s3-iam")
    name = out["attachments_bucket_name"]
    assert name == "chatbot-dev-files-123456789012-us-east-1"
    for policy in ("ecs_task_policy", "apprunner_instance_policy"):
        statements = s3_statements(out[policy])
        assert len(statements) == 1, policy
        assert statements[0]["Action"] == OBJECT_ACTIONS
        assert statements[0]["Resource"] == f"arn:aws:s3:::{name}/*", "objects of this bucket, not the bucket or any other"
        assert statements[0]["Effect"] == "Allow" and "Condition" not in statements[0]
    # Bedrock stays as it was: the task role is the Bedrock policy plus this statement.
    assert out["ecs_task_policy"]["Statement"][: len(out["bedrock_policy"]["Statement"])] == out["bedrock_policy"]["Statement"]
    assert out["base_environment"]["S3_BUCKET"] == name


def test_bucket_name_fits_s3s_rules_for_the_longest_names(harness):  # noqa: F811
    subnets = {"subnet-1": {"availability_zone": "ap-southeast-4a", "availability_zone_id": "apse4-az1"}, "subnet-2": {"availability_zone": "ap-southeast-4b", "availability_zone_id": "apse4-az2"}}
    azs = ["ap-southeast-4a", "ap-southeast-4b"]
    out = evaluate(harness, "s3-long", project_name="chatbotproject1", environment="environment1", aws_region="ap-southeast-4", mock_subnets=subnets, mock_bedrock_azs=azs, mock_secretsmanager_azs=azs)
    name = out["attachments_bucket_name"]
    assert len(name) <= 63 and re.fullmatch(r"[a-z0-9][a-z0-9-]*[a-z0-9]", name), name


@pytest.mark.parametrize(
    "variables, routes",
    [
        ({}, ["rtb-a", "rtb-main"]),  # App Runner's connector subnets (explicit and main route tables)
        ({"ecs_express_services": ["prod"]}, ["rtb-a", "rtb-ecs", "rtb-main"]),  # plus the ECS private subnets
        ({"ecs_express_services": ["prod"], "create_vpc_endpoints": False, "ecs_private_subnet_cidrs": ["172.31.252.0/24", "172.31.253.0/24"]}, ["rtb-ecs"]),  # a second environment: its own ECS route table only
        ({"create_vpc_endpoints": False}, None),  # a second environment without ECS: the first one's endpoint
    ],
)
def test_s3_gateway_endpoint_routes_for_both_targets(harness, variables, routes):  # noqa: F811
    out = evaluate(harness, "s3-routes-" + "-".join(f"{k}" for k in variables), **variables)
    if routes is None:
        assert out["s3_endpoint_enabled"] is False
    else:
        assert out["s3_endpoint_enabled"] is True and out["s3_endpoint_route_table_ids"] == routes


def test_both_targets_reach_s3_and_get_the_bucket():
    res = module_resources()
    rules = {n: b for (t, n), b in res.items() if t == "aws_vpc_security_group_egress_rule" and "s3" in n}
    assert set(rules) == {"connector_to_s3", "ecs_to_s3"}
    for rule in rules.values():
        assert rule["prefix_list_id"] == "${data.aws_prefix_list.s3.id}" and rule["from_port"] == 443
    assert blocks(MODULE / "vpc.tf", "data")["aws_prefix_list"]["s3"]["name"] == "com.amazonaws.${var.aws_region}.s3"
    endpoint = res[("aws_vpc_endpoint", "s3")]
    assert endpoint["vpc_endpoint_type"] == "Gateway" and endpoint["count"] == "${local.s3_endpoint_enabled ? 1 : 0}"
    # S3_BUCKET is a plain variable of the environment both targets get (tests of the eval harness check the value).
    assert expr(module_resources()[("aws_s3_bucket", "attachments")]["bucket"]) == "${local.attachments_bucket_name}"
