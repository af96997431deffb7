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

# App Runner's limits (CreateAutoScalingConfiguration: MinSize 1-25, MaxSize
# 1-25, MaxConcurrency 1-200), checked here so `terraform plan` fails rather
# than an apply half-way through.
variable "autoscaling_min_size" {
  description = "Minimum App Runner instances per service (provisioned, billed for memory while idle); 1-25."
  type        = number
  nullable    = false
  default     = 1

  validation {
    condition     = var.autoscaling_min_size >= 1 && var.autoscaling_min_size <= 25 && floor(var.autoscaling_min_size) == var.autoscaling_min_size
    error_message = "autoscaling_min_size: a whole number from 1 to 25 (App Runner's limit)."
  }
}

variable "autoscaling_max_size" {
  description = "Maximum App Runner instances per service; 1-25 and at least autoscaling_min_size."
  type        = number
  nullable    = false
  default     = 3

  validation {
    condition     = var.autoscaling_max_size >= 1 && var.autoscaling_max_size <= 25 && floor(var.autoscaling_max_size) == var.autoscaling_max_size && var.autoscaling_max_size >= var.autoscaling_min_size
    error_message = "autoscaling_max_size: a whole number from 1 to 25, and not below autoscaling_min_size."
  }
}

variable "autoscaling_max_concurrency" {
  description = "Concurrent requests per App Runner instance before it adds one (1-200). Streams are long requests, so this is the number of simultaneous answers per instance."
  type        = number
  nullable    = false
  default     = 100

  validation {
    condition     = var.autoscaling_max_concurrency >= 1 && var.autoscaling_max_concurrency <= 200 && floor(var.autoscaling_max_concurrency) == var.autoscaling_max_concurrency
    error_message = "autoscaling_max_concurrency: a whole number from 1 to 200 (App Runner's limit)."
  }
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
  description = "DEFAULT_CHAT_MODEL: the model a new chat starts with; null leaves the choice to the app's catalog. Must be a catalog id."
  type        = string
  default     = null
}

variable "title_model" {
  description = "TITLE_MODEL: the model that names chats; null leaves the choice to the app's catalog. Must be a catalog id."
  type        = string
  default     = null
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

# ------------------------------------------------------------ ECS Express Mode

variable "ecs_express_services" {
  description = "Names of the Amazon ECS Express Mode services to create, e.g. [\"prod\"]: the compute target for accounts without App Runner. [] creates none (staged deployment: phase 1). May be set together with apprunner_services while moving from one target to the other."
  type        = list(string)
  nullable    = false
  default     = []

  validation {
    condition     = alltrue([for s in var.ecs_express_services : can(regex("^[a-z][a-z0-9-]{0,9}$", s))])
    error_message = "ecs_express_services: each name 1-10 characters, lowercase letters, digits and hyphens, starting with a letter."
  }

  validation {
    condition     = length(distinct(var.ecs_express_services)) == length(var.ecs_express_services)
    error_message = "ecs_express_services: names must be unique."
  }
}

# Fargate's task sizes (the Express API takes cpu and memory as strings).
variable "ecs_cpu" {
  description = "CPU units per ECS task (256 = 0.25 vCPU)."
  type        = string
  nullable    = false
  default     = "512"

  validation {
    condition     = contains(["256", "512", "1024", "2048", "4096"], var.ecs_cpu)
    error_message = "ecs_cpu: one of 256, 512, 1024, 2048, 4096."
  }
}

variable "ecs_memory" {
  description = "Memory per ECS task in MiB; a size Fargate allows for ecs_cpu (256: 512-2048; 512: 1024-4096; 1024: 2048-8192; 2048: 4096-16384; 4096: 8192-30720, in GiB steps)."
  type        = string
  nullable    = false
  default     = "1024"

  validation {
    condition = can(tonumber(var.ecs_memory)) && contains(lookup({
      "256"  = ["512", "1024", "2048"]
      "512"  = [for gb in range(1, 5) : tostring(gb * 1024)]
      "1024" = [for gb in range(2, 9) : tostring(gb * 1024)]
      "2048" = [for gb in range(4, 17) : tostring(gb * 1024)]
      "4096" = [for gb in range(8, 31) : tostring(gb * 1024)]
    }, var.ecs_cpu, []), var.ecs_memory)
    error_message = "ecs_memory: a Fargate memory size for the chosen ecs_cpu (for 512 CPU units: 1024, 2048, 3072 or 4096)."
  }
}

variable "ecs_min_tasks" {
  description = "Minimum running tasks per ECS service."
  type        = number
  nullable    = false
  default     = 1

  validation {
    condition     = var.ecs_min_tasks >= 1 && floor(var.ecs_min_tasks) == var.ecs_min_tasks
    error_message = "ecs_min_tasks: a whole number, at least 1 (a service at 0 tasks cannot answer its health check)."
  }
}

variable "ecs_max_tasks" {
  description = "Maximum running tasks per ECS service."
  type        = number
  nullable    = false
  default     = 3

  validation {
    condition     = floor(var.ecs_max_tasks) == var.ecs_max_tasks && var.ecs_max_tasks >= var.ecs_min_tasks
    error_message = "ecs_max_tasks: a whole number, not below ecs_min_tasks."
  }
}

# Both are always sent: with either left out the provider reports "inconsistent
# result after apply" (hashicorp/terraform-provider-aws#49511, open 2026-11-29).
variable "ecs_scaling_metric" {
  description = "What ECS Express Mode scales on: AVERAGE_CPU, AVERAGE_MEMORY or REQUEST_COUNT_PER_TARGET (AWS's default is AVERAGE_CPU)."
  type        = string
  nullable    = false
  default     = "AVERAGE_CPU"

  validation {
    condition     = contains(["AVERAGE_CPU", "AVERAGE_MEMORY", "REQUEST_COUNT_PER_TARGET"], var.ecs_scaling_metric)
    error_message = "ecs_scaling_metric: AVERAGE_CPU, AVERAGE_MEMORY or REQUEST_COUNT_PER_TARGET."
  }
}

variable "ecs_scaling_target_value" {
  description = "Target of ecs_scaling_metric: a percentage for CPU and memory (AWS's default 60), requests per task per minute for REQUEST_COUNT_PER_TARGET."
  type        = number
  nullable    = false
  default     = 60

  validation {
    condition     = var.ecs_scaling_target_value >= 1 && floor(var.ecs_scaling_target_value) == var.ecs_scaling_target_value
    error_message = "ecs_scaling_target_value: a whole number, at least 1."
  }
}

variable "ecs_auth_urls" {
  description = "Per ECS service, the public origin set as AUTH_URL, e.g. { prod = \"https://chat.example.com\" }. Optional, as for App Runner (auth_urls)."
  type        = map(string)
  nullable    = false
  default     = {}

  validation {
    condition     = alltrue([for u in values(var.ecs_auth_urls) : can(regex("^https?://[^/]+$", u))])
    error_message = "ecs_auth_urls: each value is an origin such as https://chat.example.com (scheme and host, no path)."
  }
}

variable "ecs_subnet_ids" {
  description = "Private subnets (at least two, in two AZs) for the ECS tasks. null creates two in the VPC (ecs_private_subnet_cidrs), with a route table that has no route to the internet: the tasks reach AWS through the VPC endpoints only."
  type        = list(string)
  default     = null

  validation {
    condition     = length(coalesce(var.ecs_subnet_ids, ["unset", "unset"])) >= 2
    error_message = "ecs_subnet_ids: at least two subnets (Express Mode needs two)."
  }
}

variable "ecs_private_subnet_cidrs" {
  description = "CIDR blocks of the two private subnets created for ECS tasks when ecs_subnet_ids is null. null takes x.y.250.0/24 and x.y.251.0/24 of the VPC's range, which the default VPC (172.31.0.0/16, subnets up to 172.31.95.255) leaves free. A second environment in the same VPC needs two other blocks."
  type        = list(string)
  default     = null

  validation {
    condition     = var.ecs_private_subnet_cidrs == null || (length(coalesce(var.ecs_private_subnet_cidrs, [])) == 2 && alltrue([for c in coalesce(var.ecs_private_subnet_cidrs, []) : can(cidrhost(c, 0))]))
    error_message = "ecs_private_subnet_cidrs: two CIDR blocks inside the VPC's range."
  }
}

variable "ecs_wait_for_steady_state" {
  description = "Make terraform apply wait until an ECS service's new deployment is healthy (a bad image then fails the apply instead of failing later)."
  type        = bool
  nullable    = false
  default     = true
}

variable "ecs_egress_to_internet" {
  description = "Let ECS tasks open HTTPS connections to the internet (443 to 0.0.0.0/0). Only useful when ecs_subnet_ids are subnets with a NAT gateway route (the documented NAT option); the module's own private subnets have no route out."
  type        = bool
  nullable    = false
  default     = false
}

variable "ecs_container_insights" {
  description = "CloudWatch Container Insights on the ECS cluster: disabled, enabled or enhanced (both billed per metric)."
  type        = string
  nullable    = false
  default     = "disabled"

  validation {
    condition     = contains(["disabled", "enabled", "enhanced"], var.ecs_container_insights)
    error_message = "ecs_container_insights: disabled, enabled or enhanced."
  }
}

# ---------------------------------------------------------------------- Bedrock

variable "model_catalog_file" {
  description = "The model catalog (JSON) the Bedrock policy is built from; null reads catalog/models.json at the repository root, the file the app's built-in catalog comes from. Point it at the same file you give the app as MODELS_FILE when you replace the catalog."
  type        = string
  default     = null
}

variable "bedrock_model_ids" {
  description = "Overrides the catalog's model ids for the Bedrock policy (rarely needed: change the catalog instead). Ids with a geography prefix (us., eu., apac., global., ...) are cross-Region inference profiles; the roles then also get the model behind each in the Regions the profile routes to."
  type        = list(string)
  default     = null
}

# Destination Regions per inference-profile geography, as AWS's Bedrock user
# guide lists them ("Supported Regions and models for inference profiles",
# read 2026-11-29): the union over the profiles, because each model's profile
# routes to a subset. Wider than one model needs is harmless: every grant on a
# foundation model is tied to our own profiles (bedrock:InferenceProfileArn).
# `global.` is not here: it routes to every commercial Region and is granted
# with AWS's Region-less ARN instead (iam.tf).
variable "bedrock_profile_regions" {
  description = "Per inference-profile geography prefix, the Regions its profiles may route a request to. Add a Region here when AWS adds one to a profile you use (Bedrock then answers AccessDenied for requests routed there)."
  type        = map(list(string))
  nullable    = false
  default = {
    us     = ["us-east-1", "us-east-2", "us-west-1", "us-west-2"]
    us-gov = ["us-gov-east-1", "us-gov-west-1"]
    eu     = ["eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3"]
    apac   = ["ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7"]
    jp     = ["ap-northeast-1", "ap-northeast-3"]
    au     = ["ap-southeast-2", "ap-southeast-4"]
    ca     = ["ca-central-1", "ca-west-1"]
  }
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

# ----------------------------------------------------------------------- alarms

variable "alarms_enabled" {
  description = "Create the CloudWatch alarms (alarms*.tf; docs/aws-deployment.md \"Alarms\"): per service 5xx rate, p99 latency, at maximum scale and failed health checks; for the database CPU, free storage and connections. $0.10 a month per metric an alarm watches."
  type        = bool
  nullable    = false
  default     = true
}

variable "ecs_alarms_enabled" {
  description = "Create the ECS Express Mode services' alarms (load balancer metrics, found through the ECS service's target groups). A way out should that lookup fail in an account: false keeps every other alarm."
  type        = bool
  nullable    = false
  default     = true
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic (AWS sends a confirmation link first). null: no subscription; subscribe other endpoints to the alarm_topic_arn output."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", coalesce(var.alarm_email, "x@y.z")))
    error_message = "alarm_email: an e-mail address such as ops@example.com."
  }
}

variable "alarm_sns_topic_arn" {
  description = "An existing SNS topic the alarms notify instead of the one this module creates (for example a team topic wired to chat). null creates <project>-<environment>-alarms."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", coalesce(var.alarm_sns_topic_arn, "x")))
    error_message = "alarm_sns_topic_arn: the ARN of an SNS topic (arn:aws:sns:<region>:<account>:<name>)."
  }
}

variable "alarm_5xx_rate_percent" {
  description = "5xx alarm: the share of requests (percent) answered with a 5xx status, over two 5-minute periods, that raises it."
  type        = number
  nullable    = false
  default     = 5

  validation {
    condition     = var.alarm_5xx_rate_percent > 0 && var.alarm_5xx_rate_percent <= 100
    error_message = "alarm_5xx_rate_percent: more than 0 and at most 100."
  }
}

variable "alarm_min_requests" {
  description = "5xx alarm: fewer requests than this in 5 minutes never raise it (one failed request out of two is not an outage)."
  type        = number
  nullable    = false
  default     = 20

  validation {
    condition     = var.alarm_min_requests >= 1 && floor(var.alarm_min_requests) == var.alarm_min_requests
    error_message = "alarm_min_requests: a whole number, at least 1."
  }
}

variable "alarm_latency_p99_ms" {
  description = "Latency alarm: p99 in milliseconds over 15 minutes. ECS: time until the app starts its response (a streamed answer counts until its first byte). App Runner: its RequestLatency (see the guide)."
  type        = number
  nullable    = false
  default     = 10000

  validation {
    condition     = var.alarm_latency_p99_ms >= 100
    error_message = "alarm_latency_p99_ms: at least 100."
  }
}

variable "alarm_db_cpu_percent" {
  description = "Database CPU alarm: average CPU percent over 15 minutes."
  type        = number
  nullable    = false
  default     = 80

  validation {
    condition     = var.alarm_db_cpu_percent > 0 && var.alarm_db_cpu_percent < 100
    error_message = "alarm_db_cpu_percent: between 0 and 100."
  }
}

variable "alarm_db_free_storage_gib" {
  description = "Database storage alarm: free storage in GiB below which it is raised."
  type        = number
  nullable    = false
  default     = 2

  validation {
    condition     = var.alarm_db_free_storage_gib > 0
    error_message = "alarm_db_free_storage_gib: more than 0."
  }
}

variable "alarm_db_connections_percent" {
  description = "Database connections alarm: percent of max_connections (db_max_connections, or estimated from db_instance_class) that raises it."
  type        = number
  nullable    = false
  default     = 80

  validation {
    condition     = var.alarm_db_connections_percent > 0 && var.alarm_db_connections_percent <= 100
    error_message = "alarm_db_connections_percent: more than 0 and at most 100."
  }
}

variable "db_max_connections" {
  description = "PostgreSQL's max_connections on the instance (psql: SHOW max_connections), for the connections alarm. null estimates it as RDS does (instance memory / 9531392, at most 5000) for the common instance classes."
  type        = number
  default     = null

  validation {
    condition     = var.db_max_connections == null || coalesce(var.db_max_connections, 1) >= 1
    error_message = "db_max_connections: at least 1."
  }
}

# ------------------------------------------------------------------ attachments

variable "attachments_force_destroy" {
  description = "Let terraform destroy delete the attachments bucket while it still holds files (and their old versions). Off by default: users' files are not deleted by accident."
  type        = bool
  nullable    = false
  default     = false
}

variable "attachments_noncurrent_days" {
  description = "Days S3 keeps a deleted or overwritten attachment (its old version) before the lifecycle rule removes it for good."
  type        = number
  nullable    = false
  default     = 30

  validation {
    condition     = var.attachments_noncurrent_days >= 1 && floor(var.attachments_noncurrent_days) == var.attachments_noncurrent_days
    error_message = "attachments_noncurrent_days: a whole number of days, at least 1."
  }
}

# ----------------------------------------------------------------- single sign-on

variable "cognito_enabled" {
  description = "Create an Amazon Cognito user pool, hosted domain and app client for single sign-on, and give both targets OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (the app uses them once issue 16 lands). Needs the services' origins pinned (ecs_auth_urls / auth_urls) for the callback URL."
  type        = bool
  nullable    = false
  default     = false
}

variable "cognito_domain_prefix" {
  description = "Prefix of the hosted sign-in domain, https://<prefix>.auth.<region>.amazoncognito.com (unique in the Region). null: <project>-<environment>-<8 characters of the account's hash>."
  type        = string
  default     = null

  validation {
    condition     = var.cognito_domain_prefix == null || can(regex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", coalesce(var.cognito_domain_prefix, "x"))) && !can(regex("aws|amazon|cognito", coalesce(var.cognito_domain_prefix, "x")))
    error_message = "cognito_domain_prefix: lowercase letters, digits and hyphens (1-63, not at either end), without aws, amazon or cognito."
  }
}

variable "cognito_callback_origins" {
  description = "More origins allowed to finish a sign-in besides auth_urls and ecs_auth_urls, e.g. [\"http://localhost:3000\"] for development; each gets <origin>/api/auth/sso/callback."
  type        = list(string)
  nullable    = false
  default     = []

  validation {
    condition     = alltrue([for u in var.cognito_callback_origins : can(regex("^(https://[^/]+|http://localhost(:[0-9]+)?)$", u))])
    error_message = "cognito_callback_origins: https origins (scheme and host, no path), or http://localhost[:port]."
  }
}

variable "cognito_identity_providers" {
  description = "Names of identity providers federated into the user pool (created as the guide shows: Entra ID, Okta, Google...) that the app client offers besides Cognito's own users."
  type        = list(string)
  nullable    = false
  default     = []
}

variable "cognito_self_signup" {
  description = "Let people create their own account in the user pool. Off: an administrator adds users, or they come from a federated provider."
  type        = bool
  nullable    = false
  default     = false
}

variable "oidc_issuer" {
  description = "Another OpenID provider used directly instead of Cognito, by its issuer URL (e.g. https://login.microsoftonline.com/<tenant>/v2.0). With oidc_client_id and oidc_client_secret. Ignored when cognito_enabled."
  type        = string
  default     = null

  validation {
    condition     = var.oidc_issuer == null || can(regex("^https://[^\\s]+$", coalesce(var.oidc_issuer, "x")))
    error_message = "oidc_issuer: an https URL, the provider's issuer exactly as its discovery document states it."
  }
}

variable "oidc_client_id" {
  description = "Client id of the app registration at the provider named by oidc_issuer."
  type        = string
  default     = null
}

variable "oidc_client_secret" {
  description = "Client secret of that app registration. Write-only, like auth_secret: it reaches Secrets Manager but never the state (bump secrets_version after changing it)."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = var.oidc_issuer == null || var.cognito_enabled || var.oidc_client_secret != null
    error_message = "oidc_client_secret: required with oidc_issuer (the provider gives it with the client id)."
  }
}

variable "guests_enabled" {
  description = "GUESTS_ENABLED: give signed-out visitors a guest session. Set false for a company deployment, so only signed-in people (password or single sign-on) use the assistant."
  type        = bool
  nullable    = false
  default     = true
}
