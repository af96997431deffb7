# App Runner alarms, one set per service (alarms.tf: metrics, topic, RDS).

resource "aws_cloudwatch_metric_alarm" "apprunner_5xx_rate" {
  for_each = local.alarm_apprunner

  alarm_name          = "${local.alarm_prefix}${each.key}-apprunner-5xx-rate"
  alarm_description   = "App Runner ${each.key}: more than ${var.alarm_5xx_rate_percent}% of requests answered 5xx in two 5-minute periods (with at least ${var.alarm_min_requests} requests). docs/aws-deployment.md#alarms"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarm_5xx_rate_percent
  evaluation_periods  = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.common_tags

  metric_query {
    id          = "rate"
    label       = "5xx responses, % of requests"
    expression  = "IF(requests >= ${var.alarm_min_requests}, 100 * FILL(errors, 0) / requests, 0)"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { errors = "5xxStatusResponses", requests = "Requests" }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/AppRunner"
        metric_name = metric_query.value
        dimensions  = { ServiceName = aws_apprunner_service.this[each.key].service_name, ServiceID = aws_apprunner_service.this[each.key].service_id }
        stat        = "Sum"
        period      = 300
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "apprunner_latency_p99" {
  for_each = local.alarm_apprunner

  alarm_name          = "${local.alarm_prefix}${each.key}-apprunner-latency-p99"
  alarm_description   = "App Runner ${each.key}: p99 request latency above ${var.alarm_latency_p99_ms} ms for 15 minutes. docs/aws-deployment.md#alarms"
  namespace           = "AWS/AppRunner"
  metric_name         = "RequestLatency"
  dimensions          = { ServiceName = aws_apprunner_service.this[each.key].service_name, ServiceID = aws_apprunner_service.this[each.key].service_id }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarm_latency_p99_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.common_tags
}

resource "aws_cloudwatch_metric_alarm" "apprunner_at_max" {
  for_each = local.alarm_apprunner

  alarm_name          = "${local.alarm_prefix}${each.key}-apprunner-at-max-instances"
  alarm_description   = "App Runner ${each.key}: ${var.autoscaling_max_size} active instances (autoscaling_max_size) for 15 minutes; requests beyond that queue. docs/aws-deployment.md#alarms"
  namespace           = "AWS/AppRunner"
  metric_name         = "ActiveInstances"
  dimensions          = { ServiceName = aws_apprunner_service.this[each.key].service_name, ServiceID = aws_apprunner_service.this[each.key].service_id }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.autoscaling_max_size
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.common_tags
}

# The app logs `{"level":"warning","message":"health check failed",…}` each
# time /api/health answers 503 (database unreachable); App Runner calls it every
# 20 seconds. The log group is App Runner's (its name holds the service id); the
# log retention step above creates it when App Runner has not yet.
resource "aws_cloudwatch_log_metric_filter" "apprunner_health_failed" {
  for_each = local.alarm_apprunner

  name           = "${local.name}-${each.key}-health-check-failed"
  log_group_name = "/aws/apprunner/${aws_apprunner_service.this[each.key].service_name}/${aws_apprunner_service.this[each.key].service_id}/application"
  pattern        = "{ $.message = \"health check failed\" }"

  metric_transformation {
    name          = "HealthCheckFailed-${each.key}"
    namespace     = local.alarm_log_namespace
    value         = "1"
    default_value = "0"
  }

  depends_on = [terraform_data.log_retention]
}

resource "aws_cloudwatch_metric_alarm" "apprunner_health" {
  for_each = local.alarm_apprunner

  alarm_name          = "${local.alarm_prefix}${each.key}-apprunner-health-check-failed"
  alarm_description   = "App Runner ${each.key}: /api/health failed at least 3 times in 5 minutes (the app logged \"health check failed\": the database does not answer). docs/aws-deployment.md#alarms"
  namespace           = local.alarm_log_namespace
  metric_name         = aws_cloudwatch_log_metric_filter.apprunner_health_failed[each.key].metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.common_tags
}
