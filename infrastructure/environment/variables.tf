# Inputs of an environment: the module's, passed through. null (the default of
# every optional one) means "the module's default": modules/chatbot/variables.tf
# is the one place defaults and their reasons are written down.

variable "project_name" {
  description = "Prefix of every resource name."
  type        = string
  default     = null
}

variable "environment" {
  description = "Environment name: set by each environment folder's environment.auto.tfvars (dev, sandbox)."
  type        = string
}

variable "aws_region" {
  description = "Region of every resource and of the Bedrock calls."
  type        = string
  default     = "us-east-1"
}

variable "aws_profile" {
  description = "AWS CLI profile to deploy with, also used by the printed commands; null uses the default credential chain (AWS_PROFILE, environment variables, SSO...)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Extra tags for every resource that takes tags."
  type        = map(string)
  default     = null
}

variable "apprunner_services" {
  description = "App Runner services to run (existing App Runner customers): [] (phase 1), then [\"prod\"]."
  type        = list(string)
  default     = []
}

variable "image_tag" {
  description = "Image tag every service runs unless image_tags names another one for it."
  type        = string
  default     = null
}

variable "image_tags" {
  description = "Per-service image tag overrides, e.g. { staging = \"next\" }."
  type        = map(string)
  default     = null
}

variable "auto_deployments_enabled" {
  description = "Deploy automatically when the service's image tag is pushed to ECR."
  type        = bool
  default     = null
}

variable "apprunner_cpu" {
  description = "vCPU units per App Runner instance (256 = 0.25 vCPU)."
  type        = string
  default     = null
}

variable "apprunner_memory" {
  description = "Memory per App Runner instance in MB."
  type        = string
  default     = null
}

variable "autoscaling_min_size" {
  description = "Minimum App Runner instances per service (provisioned, billed for memory while idle)."
  type        = number
  default     = null
}

variable "autoscaling_max_size" {
  description = "Maximum App Runner instances per service."
  type        = number
  default     = null
}

variable "autoscaling_max_concurrency" {
  description = "Concurrent requests per App Runner instance before it adds one (1-200)."
  type        = number
  default     = null
}

variable "auth_urls" {
  description = "Per App Runner service, the public origin set as AUTH_URL (phase 4)."
  type        = map(string)
  default     = null
}

variable "log_level" {
  description = "LOG_LEVEL of the app."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Retention in days of each service's CloudWatch log groups (both targets); 0 leaves App Runner's alone."
  type        = number
  default     = null
}

variable "default_chat_model" {
  description = "DEFAULT_CHAT_MODEL: a catalog id; null leaves the choice to the catalog."
  type        = string
  default     = null
}

variable "title_model" {
  description = "TITLE_MODEL: a catalog id; null leaves the choice to the catalog."
  type        = string
  default     = null
}

variable "chat_models" {
  description = "CHAT_MODELS: optional allow-list of catalog ids; [] offers the whole catalog."
  type        = list(string)
  default     = null
}

variable "extra_environment_variables" {
  description = "More plain environment variables for every service, e.g. { RATE_LIMIT_GUEST = \"10\" }."
  type        = map(string)
  default     = null
}

variable "ecs_express_services" {
  description = "ECS Express Mode services to run (new accounts): [] (phase 1), then [\"prod\"]."
  type        = list(string)
  default     = []
}

variable "ecs_cpu" {
  description = "CPU units per ECS task (256 = 0.25 vCPU)."
  type        = string
  default     = null
}

variable "ecs_memory" {
  description = "Memory per ECS task in MiB."
  type        = string
  default     = null
}

variable "ecs_min_tasks" {
  description = "Minimum running tasks per ECS service."
  type        = number
  default     = null
}

variable "ecs_max_tasks" {
  description = "Maximum running tasks per ECS service."
  type        = number
  default     = null
}

variable "ecs_scaling_metric" {
  description = "What ECS Express Mode scales on."
  type        = string
  default     = null
}

variable "ecs_scaling_target_value" {
  description = "Target of ecs_scaling_metric."
  type        = number
  default     = null
}

variable "ecs_auth_urls" {
  description = "Per ECS service, the public origin set as AUTH_URL (phase 4)."
  type        = map(string)
  default     = null
}

variable "ecs_subnet_ids" {
  description = "Private subnets (at least two, in two AZs) for the ECS tasks."
  type        = list(string)
  default     = null
}

variable "ecs_private_subnet_cidrs" {
  description = "CIDR blocks of the two private subnets created for ECS tasks when ecs_subnet_ids is null."
  type        = list(string)
  default     = null
}

variable "ecs_wait_for_steady_state" {
  description = "Make terraform apply wait until an ECS service's new deployment is healthy."
  type        = bool
  default     = null
}

variable "ecs_egress_to_internet" {
  description = "Let ECS tasks open HTTPS connections to the internet (443 to 0.0.0.0/0)."
  type        = bool
  default     = null
}

variable "ecs_container_insights" {
  description = "CloudWatch Container Insights on the ECS cluster."
  type        = string
  default     = null
}

variable "model_catalog_file" {
  description = "The model catalog (JSON) the Bedrock policy is built from."
  type        = string
  default     = null
}

variable "bedrock_model_ids" {
  description = "Overrides the catalog's model ids for the Bedrock policy (rarely needed: change the catalog instead)."
  type        = list(string)
  default     = null
}

variable "bedrock_profile_regions" {
  description = "Per inference-profile geography prefix, the Regions its profiles may route a request to."
  type        = map(list(string))
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
  description = "Explicit allow-list of AZ ids for App Runner's VPC connector, e.g. [\"use1-az1\", \"use1-az2\"]."
  type        = list(string)
  default     = null
}

variable "apprunner_unsupported_az_ids" {
  description = "Per region, the AZ ids App Runner's VPC connector rejects."
  type        = map(list(string))
  default     = null
}

variable "vpc_endpoint_az_count" {
  description = "In how many AZs each interface endpoint (bedrock-runtime, secretsmanager) gets a network interface."
  type        = number
  default     = null
}

variable "admin_cidr_blocks" {
  description = "Networks allowed to reach PostgreSQL directly, e.g. [\"203.0.113.7/32\"]."
  type        = list(string)
  default     = null
}

variable "db_username" {
  description = "Master user of the PostgreSQL instance."
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
  description = "Bump (1, 2, ...) after changing db_password or auth_secret."
  type        = number
  default     = null
}

variable "db_name" {
  description = "Name of the application database."
  type        = string
  default     = null
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = null
}

variable "db_engine_version" {
  description = "PostgreSQL major version (RDS picks the newest minor and upgrades minors automatically)."
  type        = string
  default     = null
}

variable "db_allocated_storage" {
  description = "Initial storage in GiB (20 is the free-tier amount)."
  type        = number
  default     = null
}

variable "db_max_allocated_storage" {
  description = "Upper bound for storage autoscaling in GiB."
  type        = number
  default     = null
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery)."
  type        = number
  default     = null
}

variable "db_multi_az" {
  description = "Standby replica in a second AZ."
  type        = bool
  default     = null
}

variable "publicly_accessible" {
  description = "Give the database a public address."
  type        = bool
  default     = null
}

variable "deletion_protection" {
  description = "Refuse to delete the database (terraform destroy fails until this is false and applied)."
  type        = bool
  default     = null
}

variable "skip_final_snapshot" {
  description = "Delete the database without a final snapshot."
  type        = bool
  default     = null
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can be restored (0 deletes at once)."
  type        = number
  default     = null
}

variable "ecr_force_delete" {
  description = "Let terraform destroy delete the ECR repository while it still holds images."
  type        = bool
  default     = null
}

variable "ecr_keep_images" {
  description = "How many images the ECR lifecycle policy keeps."
  type        = number
  default     = null
}

variable "create_vpc_endpoints" {
  description = "Create the bedrock-runtime and secretsmanager interface endpoints."
  type        = bool
  default     = null
}

variable "alarms_enabled" {
  description = "Create the CloudWatch alarms (per service and for the database); true by default."
  type        = bool
  default     = null
}

variable "alarm_email" {
  description = "E-mail address that receives the alarms (AWS asks it to confirm first)."
  type        = string
  default     = null
}

variable "alarm_sns_topic_arn" {
  description = "An existing SNS topic for the alarms instead of the module's own."
  type        = string
  default     = null
}

variable "alarm_5xx_rate_percent" {
  description = "Percent of requests answered 5xx that raises the 5xx alarm."
  type        = number
  default     = null
}

variable "alarm_min_requests" {
  description = "Fewest requests in 5 minutes for the 5xx alarm to count."
  type        = number
  default     = null
}

variable "alarm_latency_p99_ms" {
  description = "p99 latency in milliseconds that raises the latency alarm."
  type        = number
  default     = null
}

variable "alarm_db_cpu_percent" {
  description = "Database CPU percent that raises the CPU alarm."
  type        = number
  default     = null
}

variable "alarm_db_free_storage_gib" {
  description = "Free database storage in GiB below which the storage alarm is raised."
  type        = number
  default     = null
}

variable "alarm_db_connections_percent" {
  description = "Percent of max_connections that raises the connections alarm."
  type        = number
  default     = null
}

variable "db_max_connections" {
  description = "PostgreSQL max_connections for the connections alarm; null estimates it from db_instance_class."
  type        = number
  default     = null
}

variable "attachments_force_destroy" {
  description = "Let terraform destroy delete the attachments bucket with the files in it."
  type        = bool
  default     = null
}

variable "attachments_noncurrent_days" {
  description = "Days S3 keeps deleted or overwritten attachments before removing them."
  type        = number
  default     = null
}

variable "cognito_enabled" {
  description = "Create a Cognito user pool, hosted domain and app client for single sign-on (issue 16)."
  type        = bool
  default     = null
}

variable "cognito_domain_prefix" {
  description = "Prefix of the Cognito hosted sign-in domain; null derives one."
  type        = string
  default     = null
}

variable "cognito_callback_origins" {
  description = "More origins that may finish a sign-in besides auth_urls and ecs_auth_urls."
  type        = list(string)
  default     = null
}

variable "cognito_identity_providers" {
  description = "Identity providers federated into the user pool that the app client offers."
  type        = list(string)
  default     = null
}

variable "cognito_self_signup" {
  description = "Let people create their own Cognito account."
  type        = bool
  default     = null
}

variable "oidc_issuer" {
  description = "Another OpenID provider's issuer URL, used directly instead of Cognito."
  type        = string
  default     = null
}

variable "oidc_client_id" {
  description = "Client id at the provider named by oidc_issuer."
  type        = string
  default     = null
}

variable "oidc_client_secret" {
  description = "Client secret at the provider named by oidc_issuer (write-only, never in the state)."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "ecs_alarms_enabled" {
  description = "Create the ECS Express Mode services' alarms (false keeps the other alarms)."
  type        = bool
  default     = null
}

variable "guests_enabled" {
  description = "GUESTS_ENABLED for the services; false for a company deployment."
  type        = bool
  default     = true
}
