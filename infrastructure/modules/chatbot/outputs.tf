# Outputs, named as docs/aws-deployment.md uses them. Map outputs are keyed by
# service name (`terraform output -json apprunner_service_urls | jq -r .prod`).

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
  description = "Role the containers run with (Bedrock, the two secrets)."
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
  description = "Per service, the command that deploys the image tag it runs again (after a docker push)."
  value       = { for k, s in aws_apprunner_service.this : k => "aws apprunner start-deployment --service-arn ${s.arn} ${local.cli_flags}" }
}

output "update_auth_url_commands" {
  description = "Per service, the command (run in the environment's folder) that sets AUTH_URL to the service's own URL. To keep it, put the same auth_urls map into terraform.tfvars."
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
