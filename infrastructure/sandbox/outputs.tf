# Re-exports of the module's outputs, so `terraform output NAME` works in this folder.

output "ecr_repository_url" {
  description = "Push the image here: <url>:latest."
  value       = module.chatbot.ecr_repository_url
}

output "ecr_repository_name" {
  description = "Name of the ECR repository."
  value       = module.chatbot.ecr_repository_name
}

output "rds_endpoint" {
  description = "host:port of PostgreSQL."
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
  description = "The App Runner VPC connector."
  value       = module.chatbot.vpc_connector_arn
}

output "apprunner_subnet_ids" {
  description = "Subnets the VPC connector uses, after AZ filtering."
  value       = module.chatbot.apprunner_subnet_ids
}

output "apprunner_instance_role_arn" {
  description = "Role the containers run with."
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
  description = "Application log group per service name."
  value       = module.chatbot.apprunner_log_groups
}

output "deployment_commands" {
  description = "Per service, the command that redeploys its image tag."
  value       = module.chatbot.deployment_commands
}

output "update_auth_url_commands" {
  description = "Per service, the command that sets AUTH_URL to its own URL."
  value       = module.chatbot.update_auth_url_commands
}

output "migrate_command" {
  description = "Runs the migrations from a workstation (replace YOUR_PASSWORD)."
  value       = module.chatbot.migrate_command
}
