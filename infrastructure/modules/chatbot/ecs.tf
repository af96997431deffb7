# One Amazon ECS Express Mode service per name in var.ecs_express_services: the
# compute target for AWS accounts without App Runner (closed to new customers
# since 30 April 2026). Staged like App Runner: [] in phase 1, ["prod"] once the
# image is in ECR. Express Mode creates and owns, per service, an Application
# Load Balancer with an HTTPS listener and certificate on an AWS-provided
# domain, the target group, a security group for the load balancer and one for
# the tasks, auto scaling and alarms; this file gives it the cluster, the
# roles (iam.tf), the private network (vpc.tf), the image, the environment and
# the log group.
#
# Arguments checked against hashicorp/terraform-provider-aws
# internal/service/ecs/express_gateway_service.go and its acceptance tests
# (2026-11-29). Open provider issues worked around here:
#  - scaling_target: metric and target value are always set (#49511);
#  - destroy: the service depends on its roles' policies, the endpoints and the
#    security group rules, so Terraform deletes it (and waits for INACTIVE)
#    before taking away what its tasks need to drain;
#  - cluster: never changed in place (#47280, an in-place change is reported
#    as inconsistent): it is this module's own cluster, named after the
#    environment.

resource "aws_ecs_cluster" "this" {
  #checkov:skip=CKV_AWS_65:Container Insights is billed per metric; it is the ecs_container_insights variable. Express Mode's own alarms and the app's logs cover a small deployment.
  count = local.ecs_enabled ? 1 : 0

  name = local.name
  tags = local.common_tags

  setting {
    name  = "containerInsights"
    value = var.ecs_container_insights
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  count = local.ecs_enabled ? 1 : 0

  cluster_name       = aws_ecs_cluster.this[0].name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

# The app's stdout (JSON lines), kept log_retention_days. Terraform owns the
# group, so its retention needs no AWS CLI (unlike App Runner's groups).
resource "aws_cloudwatch_log_group" "ecs" {
  #checkov:skip=CKV_AWS_158:Encrypted with CloudWatch Logs' own key; a customer-managed KMS key adds cost and a key policy without a second reader to keep out.
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days variable (30 days by default); a year of chat-server logs is cost without a use here.
  for_each = local.ecs_services

  name              = "/ecs/${local.name}-${each.key}"
  retention_in_days = var.log_retention_days
  tags              = merge(local.common_tags, { Service = each.key })
}

# The image by digest: `terraform apply` after a push of the same tag reads the
# new digest and rolls it out (Express Mode has no "redeploy the same image"
# call). Also makes phase 3 fail at plan, with a clear message, if the image
# has not been pushed yet.
data "aws_ecr_image" "ecs" {
  for_each = local.ecs_services

  repository_name = aws_ecr_repository.this.name
  image_tag       = lookup(var.image_tags, each.key, var.image_tag)
}

resource "aws_ecs_express_gateway_service" "this" {
  for_each = local.ecs_services

  service_name            = "${local.name}-${each.key}"
  cluster                 = aws_ecs_cluster.this[0].name
  execution_role_arn      = aws_iam_role.ecs_execution[0].arn
  infrastructure_role_arn = aws_iam_role.ecs_infrastructure[0].arn
  task_role_arn           = aws_iam_role.ecs_task[0].arn
  cpu                     = var.ecs_cpu
  memory                  = var.ecs_memory
  health_check_path       = "/api/health"
  wait_for_steady_state   = var.ecs_wait_for_steady_state
  tags                    = merge(local.common_tags, { Service = each.key })

  primary_container {
    image          = "${aws_ecr_repository.this.repository_url}@${data.aws_ecr_image.ecs[each.key].id}"
    container_port = tonumber(local.container_port)

    aws_logs_configuration {
      log_group         = aws_cloudwatch_log_group.ecs[each.key].name
      log_stream_prefix = "app"
    }

    dynamic "environment" {
      for_each = merge(
        local.base_environment,
        contains(keys(var.ecs_auth_urls), each.key) ? { AUTH_URL = var.ecs_auth_urls[each.key] } : {},
      )
      content {
        name  = environment.key
        value = environment.value
      }
    }

    dynamic "secret" {
      for_each = local.secret_environment
      content {
        name       = secret.key
        value_from = secret.value
      }
    }
  }

  network_configuration {
    subnets         = local.ecs_subnet_ids
    security_groups = [aws_security_group.ecs_tasks[0].id]
  }

  scaling_target {
    min_task_count            = var.ecs_min_tasks
    max_task_count            = var.ecs_max_tasks
    auto_scaling_metric       = var.ecs_scaling_metric
    auto_scaling_target_value = var.ecs_scaling_target_value
  }

  depends_on = [
    aws_ecs_cluster_capacity_providers.this,
    aws_iam_role_policy_attachment.ecs_execution,
    aws_iam_role_policy.ecs_execution_secrets,
    aws_iam_role_policy.ecs_task,
    aws_iam_role_policy_attachment.ecs_infrastructure,
    aws_secretsmanager_secret_version.postgres_url,
    aws_secretsmanager_secret_version.auth_secret,
    aws_secretsmanager_secret_version.oidc_client_secret_cognito,
    aws_secretsmanager_secret_version.oidc_client_secret_external,
    aws_vpc_endpoint.interface,
    aws_vpc_endpoint.s3,
    aws_route_table_association.ecs_private,
    aws_vpc_security_group_egress_rule.ecs_to_database,
    aws_vpc_security_group_egress_rule.ecs_to_endpoints,
    aws_vpc_security_group_egress_rule.ecs_to_s3,
    aws_vpc_security_group_egress_rule.ecs_to_internet,
    aws_vpc_security_group_ingress_rule.ecs_from_vpc,
    aws_vpc_security_group_ingress_rule.database_from_ecs,
  ]
}
