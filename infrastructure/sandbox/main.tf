# The "sandbox" environment: provider configuration and the chatbot module.
# State is local (terraform.tfstate in this folder, git-ignored). Settings go in
# terraform.tfvars (git-ignored); terraform.tfvars.example lists them.

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
  environment = "sandbox"
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

variable "secrets_version" {
  description = "Bump after changing db_password or auth_secret."
  type        = number
  default     = 1
}

variable "apprunner_services" {
  description = "App Runner services to run: [] (phase 1), then [\"prod\"]."
  type        = list(string)
  default     = []
}

variable "image_tag" {
  description = "Image tag the services run."
  type        = string
  default     = "latest"
}

variable "auth_urls" {
  description = "Optional AUTH_URL per service, e.g. { prod = \"https://chat.example.com\" }."
  type        = map(string)
  default     = {}
}

variable "publicly_accessible" {
  description = "Give the database a public address (for migrations from a workstation; see admin_cidr_blocks)."
  type        = bool
  default     = false
}

variable "admin_cidr_blocks" {
  description = "Networks allowed to reach PostgreSQL directly, e.g. [\"203.0.113.7/32\"]."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Refuse to delete the database."
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Destroy the database without a final snapshot."
  type        = bool
  default     = false
}

variable "create_vpc_endpoints" {
  description = "Create the Bedrock and Secrets Manager endpoints (false when another environment in the same VPC has them)."
  type        = bool
  default     = true
}

variable "chat_models" {
  description = "Optional allow-list of model ids (CHAT_MODELS); [] offers the whole catalog."
  type        = list(string)
  default     = []
}

variable "log_level" {
  description = "LOG_LEVEL of the app."
  type        = string
  default     = "info"
}

# ---------------------------------------------------------------------- module

module "chatbot" {
  source = "../modules/chatbot"

  environment = local.environment
  aws_region  = var.aws_region
  aws_profile = var.aws_profile

  db_password     = var.db_password
  auth_secret     = var.auth_secret
  secrets_version = var.secrets_version

  apprunner_services = var.apprunner_services
  image_tag          = var.image_tag
  auth_urls          = var.auth_urls
  chat_models        = var.chat_models
  log_level          = var.log_level

  publicly_accessible  = var.publicly_accessible
  admin_cidr_blocks    = var.admin_cidr_blocks
  deletion_protection  = var.deletion_protection
  skip_final_snapshot  = var.skip_final_snapshot
  create_vpc_endpoints = var.create_vpc_endpoints
}
