# The one root configuration of every environment. infrastructure/dev and
# infrastructure/sandbox link to these files, so each environment folder is the
# same configuration with its own settings (environment.auto.tfvars and a
# git-ignored terraform.tfvars) and its own state (terraform.tfstate in that
# folder). Run Terraform in an environment folder, never here.

terraform {
  required_version = ">= 1.14.3"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.60"
    }
  }
}

provider "aws" {
  region  = var.aws_region
  profile = var.aws_profile

  default_tags {
    tags = {
      Project     = "chatbot"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

module "chatbot" {
  source = "../modules/chatbot"

  project_name                 = var.project_name
  environment                  = var.environment
  aws_region                   = var.aws_region
  aws_profile                  = var.aws_profile
  tags                         = var.tags
  apprunner_services           = var.apprunner_services
  image_tag                    = var.image_tag
  image_tags                   = var.image_tags
  auto_deployments_enabled     = var.auto_deployments_enabled
  apprunner_cpu                = var.apprunner_cpu
  apprunner_memory             = var.apprunner_memory
  autoscaling_min_size         = var.autoscaling_min_size
  autoscaling_max_size         = var.autoscaling_max_size
  autoscaling_max_concurrency  = var.autoscaling_max_concurrency
  auth_urls                    = var.auth_urls
  log_level                    = var.log_level
  log_retention_days           = var.log_retention_days
  default_chat_model           = var.default_chat_model
  title_model                  = var.title_model
  chat_models                  = var.chat_models
  extra_environment_variables  = var.extra_environment_variables
  ecs_express_services         = var.ecs_express_services
  ecs_cpu                      = var.ecs_cpu
  ecs_memory                   = var.ecs_memory
  ecs_min_tasks                = var.ecs_min_tasks
  ecs_max_tasks                = var.ecs_max_tasks
  ecs_scaling_metric           = var.ecs_scaling_metric
  ecs_scaling_target_value     = var.ecs_scaling_target_value
  ecs_auth_urls                = var.ecs_auth_urls
  ecs_subnet_ids               = var.ecs_subnet_ids
  ecs_private_subnet_cidrs     = var.ecs_private_subnet_cidrs
  ecs_wait_for_steady_state    = var.ecs_wait_for_steady_state
  ecs_egress_to_internet       = var.ecs_egress_to_internet
  ecs_container_insights       = var.ecs_container_insights
  model_catalog_file           = var.model_catalog_file
  bedrock_model_ids            = var.bedrock_model_ids
  bedrock_profile_regions      = var.bedrock_profile_regions
  vpc_id                       = var.vpc_id
  subnet_ids                   = var.subnet_ids
  apprunner_az_ids             = var.apprunner_az_ids
  apprunner_unsupported_az_ids = var.apprunner_unsupported_az_ids
  vpc_endpoint_az_count        = var.vpc_endpoint_az_count
  admin_cidr_blocks            = var.admin_cidr_blocks
  db_username                  = var.db_username
  db_password                  = var.db_password
  auth_secret                  = var.auth_secret
  secrets_version              = var.secrets_version
  db_name                      = var.db_name
  db_instance_class            = var.db_instance_class
  db_engine_version            = var.db_engine_version
  db_allocated_storage         = var.db_allocated_storage
  db_max_allocated_storage     = var.db_max_allocated_storage
  db_backup_retention_days     = var.db_backup_retention_days
  db_multi_az                  = var.db_multi_az
  publicly_accessible          = var.publicly_accessible
  deletion_protection          = var.deletion_protection
  skip_final_snapshot          = var.skip_final_snapshot
  secret_recovery_window_days  = var.secret_recovery_window_days
  ecr_force_delete             = var.ecr_force_delete
  ecr_keep_images              = var.ecr_keep_images
  create_vpc_endpoints         = var.create_vpc_endpoints
  alarms_enabled               = var.alarms_enabled
  ecs_alarms_enabled           = var.ecs_alarms_enabled
  alarm_email                  = var.alarm_email
  alarm_sns_topic_arn          = var.alarm_sns_topic_arn
  alarm_5xx_rate_percent       = var.alarm_5xx_rate_percent
  alarm_min_requests           = var.alarm_min_requests
  alarm_latency_p99_ms         = var.alarm_latency_p99_ms
  alarm_db_cpu_percent         = var.alarm_db_cpu_percent
  alarm_db_free_storage_gib    = var.alarm_db_free_storage_gib
  alarm_db_connections_percent = var.alarm_db_connections_percent
  db_max_connections           = var.db_max_connections
  attachments_force_destroy    = var.attachments_force_destroy
  attachments_noncurrent_days  = var.attachments_noncurrent_days
  cognito_enabled              = var.cognito_enabled
  cognito_domain_prefix        = var.cognito_domain_prefix
  cognito_callback_origins     = var.cognito_callback_origins
  cognito_identity_providers   = var.cognito_identity_providers
  cognito_self_signup          = var.cognito_self_signup
  oidc_issuer                  = var.oidc_issuer
  oidc_client_id               = var.oidc_client_id
  oidc_client_secret           = var.oidc_client_secret
  guests_enabled               = var.guests_enabled
}
