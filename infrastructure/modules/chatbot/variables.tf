# Inputs of the chatbot module. Everything has a safe default except the two
# secrets, which the environment's terraform.tfvars supplies. Variables with a
# default are nullable = false: an environment passes null for "not set" and
# gets the default written here.

# ----------------------------------------------------------------- naming, region

variable "project_name" {
  description = "Prefix of every resource name."
  type        = string
  nullable    = false
  default     = "chatbot"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.project_name))
    error_message = "project_name: 2-15 characters, lowercase letters, digits and hyphens, starting with a letter (App Runner names are limited to 40 characters in all)."
  }
}

variable "environment" {
  description = "Environment name (dev, sandbox, ...); part of every resource name, so two environments can share an account."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,11}$", var.environment))
    error_message = "environment: 2-12 characters, lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "aws_region" {
  description = "Region of every resource, and the AWS_REGION the app calls Bedrock in."
  type        = string
  nullable    = false
  default     = "us-east-1"
}

variable "aws_profile" {
  description = "AWS CLI profile the printed commands (deployment_commands, log retention) use; null means the default credential chain. The provider itself is configured by the environment's main.tf."
  type        = string
  default     = null
}

variable "tags" {
  description = "Extra tags for every resource that takes tags."
  type        = map(string)
  nullable    = false
  default     = {}
}

# ------------------------------------------------------------------ App Runner

variable "apprunner_services" {
  description = "Names of the App Runner services to create, e.g. [\"prod\"] or [\"prod\", \"staging\"]. [] creates everything else (staged deployment: phase 1)."
  type        = list(string)
  nullable    = false
  default     = []

  validation {
    condition     = alltrue([for s in var.apprunner_services : can(regex("^[a-z][a-z0-9-]{0,9}$", s))])
    error_message = "apprunner_services: each name 1-10 characters, lowercase letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = length(distinct(var.apprunner_services)) == length(var.apprunner_services)
    error_message = "apprunner_services: names must be unique."
  }
}

variable "image_tag" {
  description = "Image tag every service runs unless image_tags names another one for it."
  type        = string
  nullable    = false
  default     = "latest"
}

variable "image_tags" {
  description = "Per-service image tag overrides, e.g. { staging = \"next\" }."
  type        = map(string)
  nullable    = false
  default     = {}
}

variable "auto_deployments_enabled" {
  description = "Deploy automatically when the service's image tag is pushed to ECR. Off by default: the guide deploys with `aws apprunner start-deployment` (deployment_commands)."
  type        = bool
  nullable    = false
  default     = false
}

variable "apprunner_cpu" {
  description = "vCPU units per instance (256 = 0.25 vCPU). The Swift server idles in a few tens of MB and streams with little CPU."
  type        = string
  nullable    = false
  default     = "512"

  validation {
    condition     = contains(["256", "512", "1024", "2048", "4096"], var.apprunner_cpu)
    error_message = "apprunner_cpu: one of 256, 512, 1024, 2048, 4096."
  }
}

variable "apprunner_memory" {
  description = "Memory per instance in MB; must be a combination App Runner allows with apprunner_cpu."
  type        = string
  nullable    = false
  default     = "1024"

  validation {
    condition     = contains(["512", "1024", "2048", "3072", "4096", "6144", "8192", "10240", "12288"], var.apprunner_memory)
    error_message = "apprunner_memory: one of 512, 1024, 2048, 3072, 4096, 6144, 8192, 10240, 12288."
  }
}

variable "autoscaling_min_size" {
  description = "Minimum instances per service (provisioned, billed for memory while idle)."
  type        = number
  nullable    = false
  default     = 1
}

variable "autoscaling_max_size" {
  description = "Maximum instances per service."
  type        = number
  nullable    = false
  default     = 3
}

variable "autoscaling_max_concurrency" {
  description = "Concurrent requests per instance before App Runner adds one. Streams are long requests, so this is the number of simultaneous answers per instance."
  type        = number
  nullable    = false
  default     = 100
}

variable "auth_urls" {
  description = "Per-service public origin set as AUTH_URL, e.g. { prod = \"https://chat.example.com\" }. Optional: with AUTH_TRUST_HOST=true the app derives it from App Runner's forwarded headers (phase 4 of the guide)."
  type        = map(string)
  nullable    = false
  default     = {}

  validation {
    condition     = alltrue([for u in values(var.auth_urls) : can(regex("^https?://[^/]+$", u))])
    error_message = "auth_urls: each value is an origin such as https://chat.example.com (scheme and host, no path)."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of the app: trace, debug, info, notice, warning, error or critical."
  type        = string
  nullable    = false
  default     = "info"

  validation {
    condition     = contains(["trace", "debug", "info", "notice", "warning", "error", "critical"], var.log_level)
    error_message = "log_level: trace, debug, info, notice, warning, error or critical."
  }
}

variable "log_retention_days" {
  description = "Retention of each service's CloudWatch log groups (App Runner creates them with no expiry), set with the AWS CLI after the service is created. 0 leaves them alone (and needs no AWS CLI at apply)."
  type        = number
  nullable    = false
  default     = 30

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days: 0 or a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "default_chat_model" {
  description = "DEFAULT_CHAT_MODEL: the model a new chat starts with."
  type        = string
  nullable    = false
  default     = "amazon.nova-lite-v1:0"
}

variable "title_model" {
  description = "TITLE_MODEL: the model that names chats."
  type        = string
  nullable    = false
  default     = "amazon.nova-lite-v1:0"
}

variable "chat_models" {
  description = "CHAT_MODELS: optional allow-list of catalog model ids users may pick; [] offers the whole catalog."
  type        = list(string)
  nullable    = false
  default     = []
}

variable "extra_environment_variables" {
  description = "More plain environment variables for every service (e.g. RATE_LIMIT_GUEST). Secrets do not belong here."
  type        = map(string)
  nullable    = false
  default     = {}
}

# ---------------------------------------------------------------------- Bedrock

variable "bedrock_model_ids" {
  description = "Model ids the instance role may invoke: the app's catalog. Ids with a geography prefix (us., eu., apac., global.) are cross-region inference profiles; the role then also gets the underlying foundation model in every region of bedrock_inference_regions."
  type        = list(string)
  nullable    = false
  default = [
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "us.anthropic.claude-sonnet-4-20250514-v1:0",
    "us.anthropic.claude-haiku-4-20250514-v1:0",
    "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
    "amazon.nova-lite-v1:0",
    "amazon.nova-pro-v1:0",
  ]
}

variable "bedrock_inference_regions" {
  description = "Regions a cross-region inference profile may route a request to; the foundation-model permission must cover each. The US profiles route within us-east-1, us-east-2 and us-west-2."
  type        = list(string)
  nullable    = false
  default     = ["us-east-1", "us-east-2", "us-west-2"]
}

# ---------------------------------------------------------------------- network

variable "vpc_id" {
  description = "VPC for the database, the VPC connector and the endpoints; null uses the account's default VPC in aws_region."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Subnets to use; null uses every subnet of the VPC. The database subnet group needs subnets in two AZs; publicly_accessible = true needs public subnets (the default VPC's are)."
  type        = list(string)
  default     = null
}

variable "apprunner_az_ids" {
  description = "Explicit allow-list of AZ ids (e.g. [\"use1-az1\", \"use1-az2\"]) for the VPC connector's subnets. Empty: every standard AZ of the region except those apprunner_unsupported_az_ids lists for it."
  type        = list(string)
  nullable    = false
  default     = []
}

variable "apprunner_unsupported_az_ids" {
  description = "Per region, the AZ ids App Runner's VPC connector rejects. AZ ids (not names) are the same in every account. Extend it when App Runner reports an unsupported AZ in another region, or use apprunner_az_ids."
  type        = map(list(string))
  nullable    = false
  default = {
    "us-east-1" = ["use1-az3"]
  }
}

variable "vpc_endpoint_az_count" {
  description = "In how many AZs each interface endpoint (bedrock-runtime, secretsmanager) gets a network interface. Each costs about $7.30 a month; 1 matches the guide's cost table, 2 survives the loss of an AZ."
  type        = number
  nullable    = false
  default     = 1

  validation {
    condition     = var.vpc_endpoint_az_count >= 1
    error_message = "vpc_endpoint_az_count must be at least 1."
  }
}

variable "admin_cidr_blocks" {
  description = "CIDR blocks (e.g. your workstation's x.x.x.x/32) allowed to reach PostgreSQL on 5432, for `chatbot migrate` or psql from outside AWS. Only useful with publicly_accessible = true. Empty: only App Runner reaches the database."
  type        = list(string)
  nullable    = false
  default     = []

  validation {
    condition     = alltrue([for c in var.admin_cidr_blocks : can(cidrhost(c, 0)) && !contains(["0.0.0.0/0", "::/0"], c)])
    error_message = "admin_cidr_blocks: valid CIDR blocks, and not the whole internet."
  }
}

# --------------------------------------------------------------------- database

variable "db_username" {
  description = "Master user of the PostgreSQL instance."
  type        = string
  nullable    = false
  default     = "chatbot_admin"
}

variable "db_password" {
  description = "Master password of the PostgreSQL instance (8-128 characters; not / @ \" or space, which RDS refuses). Write-only: it reaches RDS and the POSTGRES_URL secret but never the Terraform state."
  type        = string
  nullable    = false
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = length(var.db_password) >= 8 && length(var.db_password) <= 128 && !can(regex("[/@\" ]", var.db_password))
    error_message = "db_password: 8-128 characters, without / @ \" or spaces."
  }
}

variable "auth_secret" {
  description = "AUTH_SECRET that signs session cookies (e.g. `openssl rand -base64 32`). Write-only, like db_password."
  type        = string
  nullable    = false
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = length(var.auth_secret) >= 32
    error_message = "auth_secret: at least 32 characters, e.g. `openssl rand -base64 32`."
  }
}

variable "secrets_version" {
  description = "Bump (1, 2, ...) after changing db_password or auth_secret: write-only values are not in the state, so this number is how Terraform knows to send them again."
  type        = number
  nullable    = false
  default     = 1
}

variable "db_name" {
  description = "Name of the application database."
  type        = string
  nullable    = false
  default     = "chatbot"
}

variable "db_instance_class" {
  description = "RDS instance class; db.t3.micro is free-tier eligible."
  type        = string
  nullable    = false
  default     = "db.t3.micro"
}

variable "db_engine_version" {
  description = "PostgreSQL major version (RDS picks the newest minor and upgrades minors automatically)."
  type        = string
  nullable    = false
  default     = "17"

  validation {
    condition     = can(regex("^[0-9]+$", var.db_engine_version))
    error_message = "db_engine_version: a major version such as 17."
  }
}

variable "db_allocated_storage" {
  description = "Initial storage in GiB (20 is the free-tier amount)."
  type        = number
  nullable    = false
  default     = 20
}

variable "db_max_allocated_storage" {
  description = "Upper bound for storage autoscaling in GiB; equal to db_allocated_storage turns it off."
  type        = number
  nullable    = false
  default     = 100
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery)."
  type        = number
  nullable    = false
  default     = 7
}

variable "db_multi_az" {
  description = "Standby replica in a second AZ: survives an AZ outage, doubles the database cost."
  type        = bool
  nullable    = false
  default     = false
}

variable "publicly_accessible" {
  description = "Give the database a public address. Off by default: the app reaches it through the VPC connector, and the server migrates on start. Turn on (with admin_cidr_blocks) only to run migrations or psql from a workstation, then off again."
  type        = bool
  nullable    = false
  default     = false
}

variable "deletion_protection" {
  description = "Refuse to delete the database (terraform destroy fails until this is false and applied)."
  type        = bool
  nullable    = false
  default     = true
}

variable "skip_final_snapshot" {
  description = "Delete the database without a final snapshot. Off by default: destroy leaves a snapshot named <project>-<environment>-final."
  type        = bool
  nullable    = false
  default     = false
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can be restored (0 deletes at once, so the same environment can be recreated immediately)."
  type        = number
  nullable    = false
  default     = 7
}

# -------------------------------------------------------------------------- ECR

variable "ecr_force_delete" {
  description = "Let terraform destroy delete the ECR repository while it still holds images."
  type        = bool
  nullable    = false
  default     = false
}

variable "ecr_keep_images" {
  description = "How many images the ECR lifecycle policy keeps; older ones expire."
  type        = number
  nullable    = false
  default     = 20
}

variable "create_vpc_endpoints" {
  description = "Create the bedrock-runtime and secretsmanager interface endpoints. A VPC holds only one private-DNS endpoint per service: set false for a second environment in the same VPC, which then uses the first one's."
  type        = bool
  nullable    = false
  default     = true
}
