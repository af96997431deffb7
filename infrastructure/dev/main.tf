# The "dev" environment: provider configuration and the chatbot module.
# State is local (terraform.tfstate in this folder, git-ignored). Settings go in
# terraform.tfvars (git-ignored); terraform.tfvars.example lists them.
#
# Variables left null fall back to the module's defaults (the module declares
# them nullable = false), so modules/chatbot/variables.tf is the one place
# defaults and their reasons are written down.

terraform {
  required_version = ">= 1.14.3"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region  = var.aws_region
  profile = var.aws_profile

  default_tags {
    tags = {
      Project     = "chatbot"
      Environment = local.environment
      ManagedBy   = "terraform"
    }
  }
}

locals {
  environment = "dev"
}

# ------------------------------------------------------------------- variables

variable "aws_region" {
  description = "Region of every resource and of the Bedrock calls."
  type        = string
  default     = "us-east-1"
}

variable "aws_profile" {
  description = "AWS CLI profile to deploy with; null uses the default credential chain (AWS_PROFILE, environment variables, SSO...)."
  type        = string
  default     = null
}

variable "db_password" {
  description = "PostgreSQL master password (8-128 characters, without / @ \" or spaces)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "auth_secret" {
  description = "AUTH_SECRET: `openssl rand -base64 32`."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "apprunner_services" {
  description = "App Runner services to run: [] (phase 1), then [\"prod\"]."
  type        = list(string)
  default     = []
}

# Pass-through settings; null = the module's default. See the module for each.
variable "secrets_version" {
  description = "Bump after changing db_password or auth_secret."
  type        = number
  default     = null
}

variable "image_tag" {
  description = "Image tag the services run (module default: latest)."
  type        = string
  default     = null
}

variable "image_tags" {
  description = "Per-service image tag overrides."
  type        = map(string)
  default     = null
}

variable "auto_deployments_enabled" {
  description = "Deploy on every push of the service's image tag."
  type        = bool
  default     = null
}

variable "auth_urls" {
  description = "Optional AUTH_URL per service, e.g. { prod = \"https://chat.example.com\" } (phase 4)."
  type        = map(string)
  default     = null
}

variable "apprunner_cpu" {
  description = "vCPU units per instance (module default: 512)."
  type        = string
  default     = null
}

variable "apprunner_memory" {
  description = "Memory per instance in MB (module default: 1024)."
  type        = string
  default     = null
}

variable "autoscaling_min_size" {
  description = "Minimum instances per service."
  type        = number
  default     = null
}

variable "autoscaling_max_size" {
  description = "Maximum instances per service."
  type        = number
  default     = null
}

variable "autoscaling_max_concurrency" {
  description = "Concurrent requests per instance before scaling out."
  type        = number
  default     = null
}

variable "log_level" {
  description = "LOG_LEVEL of the app."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Retention of the services' log groups; 0 leaves them alone."
  type        = number
  default     = null
}

variable "chat_models" {
  description = "Optional allow-list of model ids (CHAT_MODELS)."
  type        = list(string)
  default     = null
}

variable "default_chat_model" {
  description = "DEFAULT_CHAT_MODEL."
  type        = string
  default     = null
}

variable "title_model" {
  description = "TITLE_MODEL."
  type        = string
  default     = null
}

variable "extra_environment_variables" {
  description = "More plain environment variables for every service."
  type        = map(string)
  default     = null
}

variable "bedrock_model_ids" {
  description = "Model ids the instance role may invoke."
  type        = list(string)
  default     = null
}

variable "bedrock_inference_regions" {
  description = "Regions the inference profiles route to."
  type        = list(string)
  default     = null
}

variable "vpc_id" {
  description = "VPC to use; null uses the account's default VPC."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Subnets to use; null uses every subnet of the VPC."
  type        = list(string)
  default     = null
}

variable "apprunner_az_ids" {
  description = "Explicit allow-list of AZ ids for the VPC connector."
  type        = list(string)
  default     = null
}

variable "apprunner_unsupported_az_ids" {
  description = "Per region, AZ ids App Runner rejects."
  type        = map(list(string))
  default     = null
}

variable "create_vpc_endpoints" {
  description = "Create the Bedrock and Secrets Manager endpoints (false when another environment in the same VPC has them)."
  type        = bool
  default     = null
}

variable "vpc_endpoint_az_count" {
  description = "AZs per interface endpoint."
  type        = number
  default     = null
}

variable "publicly_accessible" {
  description = "Give the database a public address (for migrations from a workstation; with admin_cidr_blocks)."
  type        = bool
  default     = null
}

variable "admin_cidr_blocks" {
  description = "Networks allowed to reach PostgreSQL directly, e.g. [\"203.0.113.7/32\"]."
  type        = list(string)
  default     = null
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = null
}

variable "db_multi_az" {
  description = "Standby database in a second AZ."
  type        = bool
  default     = null
}

variable "deletion_protection" {
  description = "Refuse to delete the database (module default: true)."
  type        = bool
  default     = null
}

variable "skip_final_snapshot" {
  description = "Destroy the database without a final snapshot."
  type        = bool
  default     = null
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can be restored."
  type        = number
  default     = null
}

variable "ecr_force_delete" {
  description = "Let destroy delete the ECR repository with its images."
  type        = bool
  default     = null
}

# ---------------------------------------------------------------------- module

module "chatbot" {
  source = "../modules/chatbot"

  environment = local.environment
  aws_region  = var.aws_region
  aws_profile = var.aws_profile

  db_password        = var.db_password
  auth_secret        = var.auth_secret
  apprunner_services = var.apprunner_services

  secrets_version              = var.secrets_version
  image_tag                    = var.image_tag
  image_tags                   = var.image_tags
  auto_deployments_enabled     = var.auto_deployments_enabled
  auth_urls                    = var.auth_urls
  apprunner_cpu                = var.apprunner_cpu
  apprunner_memory             = var.apprunner_memory
  autoscaling_min_size         = var.autoscaling_min_size
  autoscaling_max_size         = var.autoscaling_max_size
  autoscaling_max_concurrency  = var.autoscaling_max_concurrency
  log_level                    = var.log_level
  log_retention_days           = var.log_retention_days
  chat_models                  = var.chat_models
  default_chat_model           = var.default_chat_model
  title_model                  = var.title_model
  extra_environment_variables  = var.extra_environment_variables
  bedrock_model_ids            = var.bedrock_model_ids
  bedrock_inference_regions    = var.bedrock_inference_regions
  vpc_id                       = var.vpc_id
  subnet_ids                   = var.subnet_ids
  apprunner_az_ids             = var.apprunner_az_ids
  apprunner_unsupported_az_ids = var.apprunner_unsupported_az_ids
  create_vpc_endpoints         = var.create_vpc_endpoints
  vpc_endpoint_az_count        = var.vpc_endpoint_az_count
  publicly_accessible          = var.publicly_accessible
  admin_cidr_blocks            = var.admin_cidr_blocks
  db_instance_class            = var.db_instance_class
  db_multi_az                  = var.db_multi_az
  deletion_protection          = var.deletion_protection
  skip_final_snapshot          = var.skip_final_snapshot
  secret_recovery_window_days  = var.secret_recovery_window_days
  ecr_force_delete             = var.ecr_force_delete
}
