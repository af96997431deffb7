# CloudWatch alarms (issue 14 item 2): for every service of both compute
# targets, the 5xx rate, p99 latency, instance or task count at its maximum and
# failed health checks; for the database CPU, free storage and connections near
# max_connections. Each alarm notifies one SNS topic (this module's, encrypted
# with a KMS key of its own and with an optional e-mail subscription, or
# alarm_sns_topic_arn). docs/aws-deployment.md ("Alarms") says what each one
# means and what to do.
#
# Metrics used, as AWS documents them (checked 2026-11-29, sessions 2 and 4):
#  - App Runner: AWS/AppRunner, service-level metrics with the dimensions
#    ServiceName and ServiceID (5xxStatusResponses, Requests, RequestLatency in
#    milliseconds, ActiveInstances). App Runner publishes no health-check
#    metric, so its health alarm counts the app's own "health check failed" log
#    lines (a metric filter on the application log group).
#  - ECS Express Mode: the Application Load Balancer Express Mode creates,
#    AWS/ApplicationELB per target group (dimensions LoadBalancer and
#    TargetGroup, both ARN suffixes): HTTPCode_Target_5XX_Count, RequestCount,
#    TargetResponseTime in seconds, HealthyHostCount, UnHealthyHostCount.
#  - RDS: AWS/RDS with DBInstanceIdentifier: CPUUtilization, FreeStorageSpace
#    (bytes), DatabaseConnections.
#
# The gap: aws_ecs_express_gateway_service exports neither the load balancer
# nor its target groups (its computed attributes are ingress_paths, which has
# only access_type and endpoint, current_deployment, service_arn and
# service_revision_arn; provider source read 2026-11-29). An Express Mode
# service is an ECS service, so the target groups are read from it with the
# aws_ecs_service data source (load_balancer: target_group_arn and, for the
# canary deployments Express Mode runs, advanced_configuration's
# alternate_target_group_arn), and the load balancer from the target group.

locals {
  alarm_prefix        = "${local.name}-"
  create_alarm_topic  = var.alarms_enabled && var.alarm_sns_topic_arn == null
  alarm_apprunner     = var.alarms_enabled ? local.services : toset([])
  alarm_ecs           = var.alarms_enabled && var.ecs_alarms_enabled ? local.ecs_services : toset([])
  alarm_log_namespace = "Chatbot/${local.name}"

  # RDS for PostgreSQL sets max_connections to LEAST(DBInstanceClassMemory /
  # 9531392, 5000). DBInstanceClassMemory is the class's memory minus what the
  # operating system and RDS keep: published SHOW max_connections figures (198
  # on 2 GiB, 413 on 4 GiB, 856 on 8 GiB) fit memory minus about 300 MiB, so the
  # estimate takes 384 MiB off (lower, so the alarm is early rather than late).
  # Classes not in the map need db_max_connections (a check block says so).
  db_class_memory_gib = {
    "db.t3.micro"  = 1, "db.t3.small" = 2, "db.t3.medium" = 4, "db.t3.large" = 8, "db.t3.xlarge" = 16, "db.t3.2xlarge" = 32,
    "db.t4g.micro" = 1, "db.t4g.small" = 2, "db.t4g.medium" = 4, "db.t4g.large" = 8, "db.t4g.xlarge" = 16, "db.t4g.2xlarge" = 32,
    "db.m7g.large" = 8, "db.m7g.xlarge" = 16, "db.m7g.2xlarge" = 32, "db.m6g.large" = 8, "db.m6g.xlarge" = 16, "db.m6i.large" = 8,
    "db.r7g.large" = 16, "db.r7g.xlarge" = 32, "db.r6g.large" = 16, "db.r6g.xlarge" = 32, "db.r6i.large" = 16,
  }
  db_max_connections = coalesce(
    var.db_max_connections,
    try(min(floor((local.db_class_memory_gib[var.db_instance_class] * 1024 - 384) * 1048576 / 9531392), 5000), null),
    100,
  )
  db_connections_threshold = floor(local.db_max_connections * var.alarm_db_connections_percent / 100)

  alarm_latency_p99_seconds = var.alarm_latency_p99_ms / 1000
}

check "db_max_connections_known" {
  assert {
    condition     = !var.alarms_enabled || var.db_max_connections != null || contains(keys(local.db_class_memory_gib), var.db_instance_class)
    error_message = "The connections alarm does not know max_connections for ${var.db_instance_class} and assumes 100; set db_max_connections (SHOW max_connections in psql)."
  }
}

# The most connections the services can hold at full scale: each task or
# instance opens up to DATABASE_POOL_SIZE (the app's default is 20) plus one
# that LISTENs (guide, "Database connections"). A warning at plan when that
# alone would raise the connections alarm (or, without alarms, leaves fewer
# than 10 of max_connections for migrations, psql and RDS).
locals {
  db_pool_size                 = try(tonumber(var.extra_environment_variables["DATABASE_POOL_SIZE"]), 20)
  db_tasks_at_full_scale       = length(local.ecs_services) * var.ecs_max_tasks + length(local.services) * var.autoscaling_max_size
  db_connections_at_full_scale = local.db_tasks_at_full_scale * (local.db_pool_size + 1)
}

check "db_connections_budget" {
  assert {
    condition     = var.alarms_enabled ? local.db_connections_at_full_scale < local.db_connections_threshold : local.db_connections_at_full_scale <= local.db_max_connections - 10
    error_message = "At full scale (${local.db_tasks_at_full_scale} tasks or instances) the services can open ${local.db_connections_at_full_scale} database connections, (DATABASE_POOL_SIZE ${local.db_pool_size} + 1) each; ${var.alarms_enabled ? "the connections alarm fires at ${local.db_connections_threshold}" : "that leaves fewer than 10 for migrations and psql"} (max_connections ${local.db_max_connections}). Set a smaller DATABASE_POOL_SIZE in extra_environment_variables, fewer tasks, or a larger db_instance_class (docs/aws-deployment.md, \"Database connections\")."
  }
}

# ------------------------------------------------------------------ notifications

# The topic is encrypted with a key of its own: CloudWatch cannot publish to a
# topic under the AWS-managed aws/sns key, whose policy cannot be changed to let
# cloudwatch.amazonaws.com use it (Amazon SNS Developer Guide, "Key management",
# section on event sources from AWS services and encrypted topics, read
# 2026-11-29). The key policy is AWS's documented one for such publishers
# (kms:GenerateDataKey* and kms:Decrypt for the service), plus the account's
# administration. No source condition: only this account may publish to the
# topic (SNS's default topic policy), so another account's alarms cannot use it.
resource "aws_kms_key" "alarms" {
  count = local.create_alarm_topic ? 1 : 0

  description             = "${local.name}: messages of the alarm topic"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersTheKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
      },
    ]
  })
  tags = local.common_tags
}

resource "aws_kms_alias" "alarms" {
  count = local.create_alarm_topic ? 1 : 0

  name          = "alias/${local.name}-alarms"
  target_key_id = aws_kms_key.alarms[0].key_id
}

resource "aws_sns_topic" "alarms" {
  count = local.create_alarm_topic ? 1 : 0

  name              = "${local.name}-alarms"
  kms_master_key_id = aws_kms_key.alarms[0].arn
  tags              = local.common_tags
}

# The address gets a confirmation e-mail from AWS; nothing arrives until the
# link in it is followed.
resource "aws_sns_topic_subscription" "alarm_email" {
  count = local.create_alarm_topic && var.alarm_email != null ? 1 : 0

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  alarm_actions = var.alarms_enabled ? [coalesce(var.alarm_sns_topic_arn, one(aws_sns_topic.alarms[*].arn))] : []
}

# -------------------------------------------------------------------- database

locals {
  # One alarm per entry (alarm name <project>-<env>-db-<key>), all on the
  # instance's AWS/RDS metrics. RDS publishes them every minute whatever the
  # load, so missing data means RDS itself is not reporting: the alarm keeps its
  # state ("missing") rather than guessing.
  db_alarms = {
    cpu = {
      description = "RDS CPU above ${var.alarm_db_cpu_percent}% for 15 minutes"
      metric      = "CPUUtilization"
      statistic   = "Average"
      periods     = 3
      comparison  = "GreaterThanThreshold"
      threshold   = var.alarm_db_cpu_percent
    }
    free-storage = {
      description = "RDS free storage below ${var.alarm_db_free_storage_gib} GiB"
      metric      = "FreeStorageSpace" # bytes
      statistic   = "Minimum"
      periods     = 1
      comparison  = "LessThanThreshold"
      threshold   = var.alarm_db_free_storage_gib * 1073741824
    }
    connections = {
      description = "PostgreSQL connections at or above ${local.db_connections_threshold} (${var.alarm_db_connections_percent}% of max_connections ${local.db_max_connections}) for 10 minutes"
      metric      = "DatabaseConnections"
      statistic   = "Maximum"
      periods     = 2
      comparison  = "GreaterThanOrEqualToThreshold"
      threshold   = local.db_connections_threshold
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "db" {
  for_each = { for k, v in local.db_alarms : k => v if var.alarms_enabled }

  alarm_name          = "${local.alarm_prefix}db-${each.key}"
  alarm_description   = "${each.value.description}. docs/aws-deployment.md#alarms"
  namespace           = "AWS/RDS"
  metric_name         = each.value.metric
  dimensions          = { DBInstanceIdentifier = aws_db_instance.this.identifier }
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = each.value.periods
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.common_tags
}

# The three alarms were one resource each until session 4; existing
# deployments keep theirs (same names, no replacement).
moved {
  from = aws_cloudwatch_metric_alarm.db_cpu[0]
  to   = aws_cloudwatch_metric_alarm.db["cpu"]
}
moved {
  from = aws_cloudwatch_metric_alarm.db_free_storage[0]
  to   = aws_cloudwatch_metric_alarm.db["free-storage"]
}
moved {
  from = aws_cloudwatch_metric_alarm.db_connections[0]
  to   = aws_cloudwatch_metric_alarm.db["connections"]
}
