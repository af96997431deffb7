# Outputs, named as docs/aws-deployment.md uses them. Map outputs are keyed by
# service name (`terraform output -json apprunner_service_urls | jq -r .prod`);
# App Runner's keep the seed's names, ECS Express Mode's start with ecs_.

output "ecr_repository_url" {
  description = "Push the image here: <url>:latest."
  value       = aws_ecr_repository.this.repository_url
}

output "ecr_repository_name" {
  description = "Name of the ECR repository."
  value       = aws_ecr_repository.this.name
}

output "rds_endpoint" {
  description = "host:port of PostgreSQL: the part of POSTGRES_URL after the credentials, followed by /<rds_database_name>?sslmode=require."
  value       = aws_db_instance.this.endpoint
}

output "rds_database_name" {
  description = "Name of the application database."
  value       = aws_db_instance.this.db_name
}

output "rds_username" {
  description = "Master user of the database."
  value       = aws_db_instance.this.username
}

output "postgres_url_secret_arn" {
  description = "Secrets Manager secret holding POSTGRES_URL."
  value       = aws_secretsmanager_secret.postgres_url.arn
}

output "auth_secret_secret_arn" {
  description = "Secrets Manager secret holding AUTH_SECRET."
  value       = aws_secretsmanager_secret.auth_secret.arn
}

output "vpc_connector_arn" {
  description = "The App Runner VPC connector all services send their traffic through."
  value       = aws_apprunner_vpc_connector.this.arn
}

output "apprunner_subnet_ids" {
  description = "Subnets the VPC connector uses, after AZ filtering."
  value       = local.apprunner_subnet_ids
}

output "apprunner_instance_role_arn" {
  description = "Role the App Runner containers run with (Bedrock, the attachments bucket, the secrets)."
  value       = aws_iam_role.apprunner_instance.arn
}

output "apprunner_service_ids" {
  description = "Service id per service name."
  value       = { for k, s in aws_apprunner_service.this : k => s.service_id }
}

output "apprunner_service_arns" {
  description = "Service ARN per service name."
  value       = { for k, s in aws_apprunner_service.this : k => s.arn }
}

output "apprunner_service_urls" {
  description = "Public https URL per service name."
  value       = { for k, s in aws_apprunner_service.this : k => "https://${s.service_url}" }
}

output "apprunner_log_groups" {
  description = "The CloudWatch log group of each service's application output (JSON lines)."
  value       = { for k, s in aws_apprunner_service.this : k => "/aws/apprunner/${s.service_name}/${s.service_id}/application" }
}

output "deployment_commands" {
  description = "Per App Runner service, the command that deploys the image tag it runs again (after a docker push)."
  value       = { for k, s in aws_apprunner_service.this : k => "aws apprunner start-deployment --service-arn ${s.arn} ${local.cli_flags}" }
}

output "update_auth_url_commands" {
  description = "Per App Runner service, the command (run in the environment's folder) that sets AUTH_URL to the service's own URL. To keep it, put the same auth_urls map into terraform.tfvars."
  value = {
    for k, s in aws_apprunner_service.this : k => format(
      "terraform apply -var='auth_urls=%s'",
      jsonencode(merge(var.auth_urls, { (k) = "https://${s.service_url}" })),
    )
  }
}

output "migrate_command" {
  description = "Runs the migrations from a workstation (needs publicly_accessible = true and your address in admin_cidr_blocks); replace YOUR_PASSWORD."
  value       = "docker run --rm -e POSTGRES_URL='postgresql://${aws_db_instance.this.username}:YOUR_PASSWORD@${aws_db_instance.this.endpoint}/${aws_db_instance.this.db_name}?sslmode=require' ai-chatbot migrate"
}

output "bedrock_model_ids" {
  description = "The model ids the app's roles may invoke (from the catalog, or bedrock_model_ids)."
  value       = local.bedrock_model_ids
}

# ------------------------------------------------------------ ECS Express Mode

output "ecs_cluster_name" {
  description = "The ECS cluster of this environment's Express Mode services (null while ecs_express_services is empty)."
  value       = one(aws_ecs_cluster.this[*].name)
}

output "ecs_subnet_ids" {
  description = "Private subnets the ECS tasks run in."
  value       = local.ecs_enabled ? local.ecs_subnet_ids : []
}

output "ecs_task_role_arn" {
  description = "Role the ECS containers run with (Bedrock, the attachments bucket)."
  value       = one(aws_iam_role.ecs_task[*].arn)
}

output "ecs_service_arns" {
  description = "ECS Express Mode service ARN per service name."
  value       = { for k, s in aws_ecs_express_gateway_service.this : k => s.service_arn }
}

# Express Mode gives each service an HTTPS endpoint on an AWS-provided domain
# (ingress_paths; the PUBLIC one when there are several).
output "ecs_service_urls" {
  description = "Public https URL per ECS service name."
  value = {
    for k, s in aws_ecs_express_gateway_service.this : k => try(
      "https://${trimprefix(coalesce([for p in s.ingress_paths : p.endpoint if p.access_type == "PUBLIC"]...), "https://")}",
      "https://${trimprefix(s.ingress_paths[0].endpoint, "https://")}",
      null,
    )
  }
}

output "ecs_log_groups" {
  description = "The CloudWatch log group of each ECS service's application output (JSON lines)."
  value       = { for k, g in aws_cloudwatch_log_group.ecs : k => g.name }
}

output "ecs_deployment_commands" {
  description = "Per ECS service, the command (run in the environment's folder) that deploys what its image tag now points to: Terraform reads the tag's digest again and Express Mode rolls it out."
  value       = { for k, s in aws_ecs_express_gateway_service.this : k => "terraform apply" }
}

output "ecs_status_commands" {
  description = "Per ECS service, the AWS CLI command that shows its status, current deployment and endpoint."
  value       = { for k, s in aws_ecs_express_gateway_service.this : k => "aws ecs describe-express-gateway-service --service-arn ${s.service_arn} ${local.cli_flags}" }
}

output "ecs_update_auth_url_commands" {
  description = "Per ECS service, the command (run in the environment's folder) that sets AUTH_URL to the service's own URL. To keep it, put the same ecs_auth_urls map into terraform.tfvars."
  value = {
    for k, s in aws_ecs_express_gateway_service.this : k => format(
      "terraform apply -var='ecs_auth_urls=%s'",
      jsonencode(merge(var.ecs_auth_urls, { (k) = try("https://${trimprefix(s.ingress_paths[0].endpoint, "https://")}", "https://<ecs-service-url>") })),
    )
  }
}

# ---------------------------------------------------------------------- alarms

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies (null with alarms_enabled = false). Subscribe more endpoints to it, e.g. aws sns subscribe --protocol email."
  value       = var.alarms_enabled ? local.alarm_actions[0] : null
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms this environment has (all start with <project>-<environment>-)."
  value = sort(concat(
    [for a in aws_cloudwatch_metric_alarm.db : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.apprunner_5xx_rate : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.apprunner_latency_p99 : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.apprunner_at_max : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.apprunner_health : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.ecs : a.alarm_name],
  ))
}

output "attachments_bucket" {
  description = "The attachments bucket: S3_BUCKET of every service (used by the app once issue 15 lands)."
  value       = aws_s3_bucket.attachments.bucket
}

# -------------------------------------------------------------- single sign-on

output "cognito_user_pool_id" {
  description = "The Cognito user pool (null unless cognito_enabled): add users, or federate Entra ID, Okta or Google into it."
  value       = one(aws_cognito_user_pool.this[*].id)
}

output "cognito_hosted_domain" {
  description = "The Cognito hosted sign-in domain (null unless cognito_enabled); also the redirect URI host to register at a federated provider (<domain>/oauth2/idpresponse)."
  value       = local.cognito_enabled ? "https://${local.cognito_domain_prefix}.auth.${var.aws_region}.amazoncognito.com" : null
}

output "oidc_issuer" {
  description = "OIDC_ISSUER the services get (null without single sign-on)."
  value       = lookup(local.oidc_environment, "OIDC_ISSUER", null)
}

output "oidc_client_id" {
  description = "OIDC_CLIENT_ID the services get (null without single sign-on)."
  value       = lookup(local.oidc_environment, "OIDC_CLIENT_ID", null)
}

output "oidc_client_secret_arn" {
  description = "Secrets Manager secret holding OIDC_CLIENT_SECRET (null without single sign-on)."
  value       = one(aws_secretsmanager_secret.oidc_client_secret[*].arn)
}

output "sso_callback_urls" {
  description = "Redirect URIs of the app (<origin>/api/auth/sso/callback), from auth_urls, ecs_auth_urls and cognito_callback_origins: registered on the Cognito client; register them at a provider used directly."
  value       = local.sso_callback_urls
}
