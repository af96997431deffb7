# One App Runner service per name in var.apprunner_services (staged deployment:
# [] in phase 1, ["prod"] once the image is in ECR). Each service gets its own
# auto-scaling configuration and its own CloudWatch log groups, and all share
# the image repository, the database, the secrets and the VPC connector.
# App Runner is for accounts that already use it: AWS closed it to new
# customers on 30 April 2026. New accounts use ECS Express Mode (ecs.tf).

locals {
  # An auto-scaling configuration name is at most 32 characters; ours can reach
  # 39 (project 15 + environment 12 + service 10 + 2 hyphens). Longer names keep
  # their first 23 characters and a hash of the whole, so they stay unique.
  apprunner_scaling_names = {
    for s in local.services : s => (
      length("${local.name}-${s}") <= 32
      ? "${local.name}-${s}"
      : "${substr("${local.name}-${s}", 0, 23)}-${substr(sha1("${local.name}-${s}"), 0, 8)}"
    )
  }
}

resource "aws_apprunner_auto_scaling_configuration_version" "this" {
  for_each = local.services

  auto_scaling_configuration_name = local.apprunner_scaling_names[each.key]
  min_size                        = var.autoscaling_min_size
  max_size                        = var.autoscaling_max_size
  max_concurrency                 = var.autoscaling_max_concurrency
  tags                            = local.common_tags

  # Any change makes a new revision; the service must switch to it before the
  # old one, still in use, can be deleted.
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_apprunner_service" "this" {
  for_each = local.services

  service_name                   = "${local.name}-${each.key}"
  auto_scaling_configuration_arn = aws_apprunner_auto_scaling_configuration_version.this[each.key].arn
  tags                           = merge(local.common_tags, { Service = each.key })

  source_configuration {
    auto_deployments_enabled = var.auto_deployments_enabled

    authentication_configuration {
      access_role_arn = aws_iam_role.apprunner_ecr_access.arn
    }

    image_repository {
      image_repository_type = "ECR"
      image_identifier      = "${aws_ecr_repository.this.repository_url}:${lookup(var.image_tags, each.key, var.image_tag)}"

      image_configuration {
        # The port the image's server listens on (Dockerfile: EXPOSE 3000, PORT=3000).
        port = local.container_port

        runtime_environment_variables = merge(
          local.base_environment,
          contains(keys(var.auth_urls), each.key) ? { AUTH_URL = var.auth_urls[each.key] } : {},
        )

        runtime_environment_secrets = local.secret_environment
      }
    }
  }

  instance_configuration {
    cpu               = var.apprunner_cpu
    memory            = var.apprunner_memory
    instance_role_arn = aws_iam_role.apprunner_instance.arn
  }

  network_configuration {
    # All outbound traffic goes through the VPC connector: PostgreSQL in the
    # VPC, Bedrock and Secrets Manager through the interface endpoints. The
    # app needs nothing from the public internet (the UI loads no external
    # resource), so there is no NAT gateway.
    egress_configuration {
      egress_type       = "VPC"
      vpc_connector_arn = aws_apprunner_vpc_connector.this.arn
    }

    ingress_configuration {
      is_publicly_accessible = true
    }
  }

  # The seed's values, kept: App Runner's maximums give a slow starter ~400 s
  # (20 checks x 20 s) before the deployment fails. Our server answers
  # /api/health well under a second after start, so one check (healthy
  # threshold 1) makes it healthy; the long unhealthy window only matters when
  # the database is down, where it keeps App Runner from replacing instances
  # that would be just as unhealthy.
  health_check_configuration {
    protocol            = "HTTP"
    path                = "/api/health"
    interval            = 20
    timeout             = 20
    healthy_threshold   = 1
    unhealthy_threshold = 20
  }

  depends_on = [
    aws_iam_role_policy.apprunner_ecr_access,
    aws_iam_role_policy.apprunner_instance,
    aws_secretsmanager_secret_version.postgres_url,
    aws_secretsmanager_secret_version.auth_secret,
    aws_secretsmanager_secret_version.oidc_client_secret_cognito,
    aws_secretsmanager_secret_version.oidc_client_secret_external,
  ]
}

# ------------------------------------------------------------------ log groups
#
# App Runner writes each service's logs to two groups it creates itself,
#   /aws/apprunner/<service-name>/<service-id>/service       (deployments, health checks)
#   /aws/apprunner/<service-name>/<service-id>/application   (the app's stdout: JSON lines)
# and keeps them forever. Their names contain the service id, known only after
# the service exists, so a plain aws_cloudwatch_log_group cannot own them
# (creating one would collide with App Runner's). Instead, right after each
# service is created, this sets their retention with the AWS CLI (creating a
# group first if App Runner has not yet).
resource "terraform_data" "log_retention" {
  for_each = var.log_retention_days > 0 ? local.services : toset([])

  triggers_replace = [aws_apprunner_service.this[each.key].service_id, var.log_retention_days]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    command     = <<-EOT
      set -e
      for kind in service application; do
        group="/aws/apprunner/${aws_apprunner_service.this[each.key].service_name}/${aws_apprunner_service.this[each.key].service_id}/$kind"
        aws logs create-log-group --log-group-name "$group" ${local.cli_flags} 2>/dev/null || true
        aws logs put-retention-policy --log-group-name "$group" --retention-in-days ${var.log_retention_days} ${local.cli_flags}
      done
    EOT
  }
}
