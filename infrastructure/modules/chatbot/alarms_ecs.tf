# ECS Express Mode alarms, one set per service (alarms.tf: metrics, topic, RDS),
# on the metrics of the load balancer Express Mode creates. Neither the load
# balancer nor the target groups are attributes of
# aws_ecs_express_gateway_service, so they are read here from the ECS service
# behind it (see alarms.tf). Express Mode deploys as a canary between two target
# groups, so each alarm adds up (or, for latency, takes the larger of) the
# service's two target groups: queries r0/r1, e0/e1, ... one per target group,
# and an expression over them written out here.

# The service's name from its ARN (…:service/<cluster>/<name>): known once the
# service exists, so the lookup waits for it on the first apply only.
data "aws_ecs_service" "express" {
  for_each = local.alarm_ecs

  service_name = regex("[^/]+$", aws_ecs_express_gateway_service.this[each.key].service_arn)
  cluster_arn  = aws_ecs_cluster.this[0].arn
}

locals {
  # Per service: the primary target group first, then the canary's alternate
  # (Express Mode uses two; more are not looked at).
  ecs_target_group_arns = {
    for k, s in data.aws_ecs_service.express : k => slice(distinct(compact(concat(
      [for lb in s.load_balancer : lb.target_group_arn],
      flatten([for lb in s.load_balancer : [for a in lb.advanced_configuration : a.alternate_target_group_arn]]),
    ))), 0, 2)
  }
}

# The load balancer, through the service's primary target group.
data "aws_lb_target_group" "express" {
  for_each = local.alarm_ecs

  arn = try(local.ecs_target_group_arns[each.key][0], null)

  lifecycle {
    precondition {
      condition     = length(local.ecs_target_group_arns[each.key]) > 0
      error_message = "The ECS service ${each.key} lists no load balancer target group, so its alarms have nothing to watch. Set ecs_alarms_enabled = false (the other alarms stay) and report it: the module expects Express Mode's ECS service to name its target groups."
    }
  }
}

locals {
  # CloudWatch dimension values are ARN suffixes: app/<name>/<id> and targetgroup/<name>/<id>.
  ecs_alarm_dimensions = {
    for k in local.alarm_ecs : k => [
      for tg in local.ecs_target_group_arns[k] : {
        LoadBalancer = regex("loadbalancer/(.+)$", tolist(data.aws_lb_target_group.express[k].load_balancer_arns)[0])[0]
        TargetGroup  = regex("targetgroup/.+$", tg)
      }
    ]
  }

  # What each ECS alarm watches: the per-target-group metrics (query id prefix
  # -> metric, statistic), the comparison and threshold. The expressions, which
  # depend on how many target groups a service has, follow.
  ecs_alarms = {
    "5xx-rate" = {
      description = "more than ${var.alarm_5xx_rate_percent}% of requests answered 5xx by the app in two 5-minute periods (with at least ${var.alarm_min_requests} requests)"
      metrics     = { e = ["HTTPCode_Target_5XX_Count", "Sum"], r = ["RequestCount", "Sum"] }
      period      = 300
      periods     = 2
      comparison  = "GreaterThanThreshold"
      threshold   = var.alarm_5xx_rate_percent
    }
    "latency-p99" = {
      description = "p99 time to the first response byte above ${var.alarm_latency_p99_ms} ms for 15 minutes"
      metrics     = { l = ["TargetResponseTime", "p99"] }
      period      = 300
      periods     = 3
      comparison  = "GreaterThanThreshold"
      threshold   = local.alarm_latency_p99_seconds
    }
    "at-max-tasks" = {
      description = "${var.ecs_max_tasks} healthy tasks (ecs_max_tasks) for 15 minutes: scaling has reached its maximum"
      metrics     = { h = ["HealthyHostCount", "Minimum"] }
      period      = 300
      periods     = 3
      comparison  = "GreaterThanOrEqualToThreshold"
      threshold   = var.ecs_max_tasks
    }
    "health-check-failed" = {
      description = "a task failed the load balancer's /api/health check for 5 minutes"
      metrics     = { u = ["UnHealthyHostCount", "Maximum"] }
      period      = 60
      periods     = 5
      comparison  = "GreaterThanThreshold"
      threshold   = 0
    }
  }

  # Per service and alarm: the expression over its target groups' queries.
  # FILL(…, 0): a target group without traffic publishes nothing.
  ecs_alarm_sums = {
    for k in local.alarm_ecs : k => {
      for prefix in ["e", "r", "h", "u"] : prefix => "(${join(" + ", [for i in range(length(local.ecs_alarm_dimensions[k])) : "FILL(${prefix}${i}, 0)"])})"
    }
  }
  ecs_alarm_expressions = {
    for k in local.alarm_ecs : k => {
      "5xx-rate"            = "IF(${local.ecs_alarm_sums[k].r} >= ${var.alarm_min_requests}, 100 * ${local.ecs_alarm_sums[k].e} / ${local.ecs_alarm_sums[k].r}, 0)"
      "latency-p99"         = length(local.ecs_alarm_dimensions[k]) > 1 ? "IF(FILL(l0, 0) > FILL(l1, 0), FILL(l0, 0), FILL(l1, 0))" : "FILL(l0, 0)"
      "at-max-tasks"        = local.ecs_alarm_sums[k].h
      "health-check-failed" = local.ecs_alarm_sums[k].u
    }
  }
  ecs_alarm_instances = {
    for pair in setproduct(tolist(local.alarm_ecs), keys(local.ecs_alarms)) : "${pair[0]}/${pair[1]}" => {
      service = pair[0]
      kind    = pair[1]
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "ecs" {
  for_each = local.ecs_alarm_instances

  alarm_name          = "${local.alarm_prefix}${each.value.service}-ecs-${each.value.kind}"
  alarm_description   = "ECS Express Mode ${each.value.service}: ${local.ecs_alarms[each.value.kind].description}. docs/aws-deployment.md#alarms"
  comparison_operator = local.ecs_alarms[each.value.kind].comparison
  threshold           = local.ecs_alarms[each.value.kind].threshold
  evaluation_periods  = local.ecs_alarms[each.value.kind].periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = merge(local.common_tags, { Service = each.value.service })

  metric_query {
    id          = "x"
    expression  = local.ecs_alarm_expressions[each.value.service][each.value.kind]
    label       = each.value.kind
    return_data = true
  }

  # One query per (metric, target group): ids such as r0, r1, e0, e1.
  dynamic "metric_query" {
    for_each = flatten([
      for prefix, metric in local.ecs_alarms[each.value.kind].metrics : [
        for index, dimensions in local.ecs_alarm_dimensions[each.value.service] : {
          id         = "${prefix}${index}"
          name       = metric[0]
          stat       = metric[1]
          dimensions = dimensions
        }
      ]
    ])
    content {
      id = metric_query.value.id
      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value.name
        dimensions  = metric_query.value.dimensions
        stat        = metric_query.value.stat
        period      = local.ecs_alarms[each.value.kind].period
      }
    }
  }
}
