# Re-exports of the module's outputs, so `terraform output NAME` works in an environment folder.

output "ecr_repository_url" {
  description = "Push the image here: <url>:latest."
  value       = module.chatbot.ecr_repository_url
}

output "ecr_repository_name" {
  description = "Name of the ECR repository."
  value       = module.chatbot.ecr_repository_name
}

output "rds_endpoint" {
  description = "host:port of PostgreSQL: the part of POSTGRES_URL after the credentials, followed by /<rds_database_name>?sslmode=require."
  value       = module.chatbot.rds_endpoint
}

output "rds_database_name" {
  description = "Name of the application database."
  value       = module.chatbot.rds_database_name
}

output "rds_username" {
  description = "Master user of the database."
  value       = module.chatbot.rds_username
}

output "postgres_url_secret_arn" {
  description = "Secrets Manager secret holding POSTGRES_URL."
  value       = module.chatbot.postgres_url_secret_arn
}

output "auth_secret_secret_arn" {
  description = "Secrets Manager secret holding AUTH_SECRET."
  value       = module.chatbot.auth_secret_secret_arn
}

output "vpc_connector_arn" {
  description = "The App Runner VPC connector all services send their traffic through."
  value       = module.chatbot.vpc_connector_arn
}

output "apprunner_subnet_ids" {
  description = "Subnets the VPC connector uses, after AZ filtering."
  value       = module.chatbot.apprunner_subnet_ids
}

output "apprunner_instance_role_arn" {
  description = "Role the App Runner containers run with (Bedrock, the attachments bucket, the secrets)."
  value       = module.chatbot.apprunner_instance_role_arn
}

output "apprunner_service_ids" {
  description = "Service id per service name."
  value       = module.chatbot.apprunner_service_ids
}

output "apprunner_service_arns" {
  description = "Service ARN per service name."
  value       = module.chatbot.apprunner_service_arns
}

output "apprunner_service_urls" {
  description = "Public https URL per service name."
  value       = module.chatbot.apprunner_service_urls
}

output "apprunner_log_groups" {
  description = "The CloudWatch log group of each service's application output (JSON lines)."
  value       = module.chatbot.apprunner_log_groups
}

output "deployment_commands" {
  description = "Per App Runner service, the command that deploys the image tag it runs again (after a docker push)."
  value       = module.chatbot.deployment_commands
}

output "update_auth_url_commands" {
  description = "Per App Runner service, the command (run in the environment's folder) that sets AUTH_URL to the service's own URL. To keep it, put the same auth_urls map into terraform.tfvars."
  value       = module.chatbot.update_auth_url_commands
}

output "migrate_command" {
  description = "Runs the migrations from a workstation (needs publicly_accessible = true and your address in admin_cidr_blocks); replace YOUR_PASSWORD."
  value       = module.chatbot.migrate_command
}

output "bedrock_model_ids" {
  description = "The model ids the app's roles may invoke (from the catalog, or bedrock_model_ids)."
  value       = module.chatbot.bedrock_model_ids
}

output "ecs_cluster_name" {
  description = "The ECS cluster of this environment's Express Mode services (null while ecs_express_services is empty)."
  value       = module.chatbot.ecs_cluster_name
}

output "ecs_subnet_ids" {
  description = "Private subnets the ECS tasks run in."
  value       = module.chatbot.ecs_subnet_ids
}

output "ecs_task_role_arn" {
  description = "Role the ECS containers run with (Bedrock, the attachments bucket)."
  value       = module.chatbot.ecs_task_role_arn
}

output "ecs_service_arns" {
  description = "ECS Express Mode service ARN per service name."
  value       = module.chatbot.ecs_service_arns
}

output "ecs_service_urls" {
  description = "Public https URL per ECS service name."
  value       = module.chatbot.ecs_service_urls
}

output "ecs_log_groups" {
  description = "The CloudWatch log group of each ECS service's application output (JSON lines)."
  value       = module.chatbot.ecs_log_groups
}

output "ecs_deployment_commands" {
  description = "Per ECS service, the command (run in the environment's folder) that deploys what its image tag now points to: Terraform reads the tag's digest again and Express Mode rolls it out."
  value       = module.chatbot.ecs_deployment_commands
}

output "ecs_status_commands" {
  description = "Per ECS service, the AWS CLI command that shows its status, current deployment and endpoint."
  value       = module.chatbot.ecs_status_commands
}

output "ecs_update_auth_url_commands" {
  description = "Per ECS service, the command (run in the environment's folder) that sets AUTH_URL to the service's own URL. To keep it, put the same ecs_auth_urls map into terraform.tfvars."
  value       = module.chatbot.ecs_update_auth_url_commands
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies (null with alarms_enabled = false). Subscribe more endpoints to it, e.g. aws sns subscribe --protocol email."
  value       = module.chatbot.alarm_topic_arn
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms this environment has (all start with <project>-<environment>-)."
  value       = module.chatbot.alarm_names
}

output "attachments_bucket" {
  description = "The attachments bucket: S3_BUCKET of every service (used by the app once issue 15 lands)."
  value       = module.chatbot.attachments_bucket
}

output "cognito_user_pool_id" {
  description = "The Cognito user pool (null unless cognito_enabled): add users, or federate Entra ID, Okta or Google into it."
  value       = module.chatbot.cognito_user_pool_id
}

output "cognito_hosted_domain" {
  description = "The Cognito hosted sign-in domain (null unless cognito_enabled); also the redirect URI host to register at a federated provider (<domain>/oauth2/idpresponse)."
  value       = module.chatbot.cognito_hosted_domain
}

output "oidc_issuer" {
  description = "OIDC_ISSUER the services get (null without single sign-on)."
  value       = module.chatbot.oidc_issuer
}

output "oidc_client_id" {
  description = "OIDC_CLIENT_ID the services get (null without single sign-on)."
  value       = module.chatbot.oidc_client_id
}

output "oidc_client_secret_arn" {
  description = "Secrets Manager secret holding OIDC_CLIENT_SECRET (null without single sign-on)."
  value       = module.chatbot.oidc_client_secret_arn
}

output "sso_callback_urls" {
  description = "Redirect URIs of the app (<origin>/api/auth/sso/callback), from auth_urls, ecs_auth_urls and cognito_callback_origins: registered on the Cognito client; register them at a provider used directly."
  value       = module.chatbot.sso_callback_urls
}
