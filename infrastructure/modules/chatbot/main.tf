# The chatbot module: everything one environment needs to run the app on AWS
# with RDS PostgreSQL and Amazon Bedrock, on either compute target (or both
# while migrating): App Runner (apprunner.tf) and Amazon ECS Express Mode
# (ecs.tf). This file holds the version constraints, the data sources and the
# locals the other files share.

terraform {
  # Write-only arguments (password_wo, secret_string_wo) and ephemeral
  # variables keep the database password and AUTH_SECRET out of the state.
  required_version = ">= 1.14.3"

  # aws_ecs_express_gateway_service arrived in 6.23. 6.60 is the floor because
  # the fixes this module relies on (ECS-managed security group kept out of
  # the state, hashicorp/terraform-provider-aws#47944; re-creating a deleted
  # service, #48098; both merged May 2026) are in every release since then
  # (6.60.0 was current in August 2026, per #49511).
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.60"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# The account's default VPC, unless the caller names one.
data "aws_vpc" "selected" {
  id      = var.vpc_id
  default = var.vpc_id == null ? true : null
}

data "aws_subnets" "vpc" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.selected.id]
  }
}

# Each candidate subnet, to learn its AZ id, name and tags.
data "aws_subnet" "candidate" {
  for_each = toset(var.subnet_ids != null ? var.subnet_ids : data.aws_subnets.vpc.ids)
  id       = each.value
}

# Which AZs the two interface endpoint services are offered in; creating an
# endpoint in any other AZ fails.
data "aws_vpc_endpoint_service" "bedrock_runtime" {
  service      = "bedrock-runtime"
  service_type = "Interface"
}

data "aws_vpc_endpoint_service" "secretsmanager" {
  service      = "secretsmanager"
  service_type = "Interface"
}

locals {
  name = "${var.project_name}-${var.environment}"

  common_tags = merge(var.tags, {
    Project     = var.project_name
    Environment = var.environment
    ManagedBy   = "terraform"
  })

  # Subnets in standard AZs, one entry per subnet. Local Zone and Wavelength
  # subnets (AZ ids such as usw2-lax1-az1) serve neither App Runner nor RDS
  # subnet groups; a standard AZ id is <region code>-az<n>.
  #
  # The private subnets this module creates for ECS tasks (ecs.tf; any
  # environment's, tagged ChatbotTier) are left out: they appear in the VPC
  # after the first apply, and counting them would move the database subnet
  # group and the App Runner connector on the next one.
  subnets = {
    for id, s in data.aws_subnet.candidate : id => {
      az_name = s.availability_zone
      az_id   = s.availability_zone_id
    } if can(regex("^[a-z0-9]+-az[0-9]+$", s.availability_zone_id)) && try(s.tags["ChatbotTier"], "") != local.ecs_subnet_tier
  }
  ecs_subnet_tier = "ecs-private"

  # --- App Runner AZ filtering ------------------------------------------------
  # App Runner's VPC connector refuses subnets in some AZs (use1-az3 in
  # us-east-1). AZ ids are stable across accounts, AZ names are not, so the
  # filter works on ids: an explicit allow-list when given, otherwise every
  # standard AZ minus the ones known to be unsupported in this region. A region
  # missing from the map keeps all its AZs, so the module works anywhere.
  apprunner_excluded_az_ids = lookup(var.apprunner_unsupported_az_ids, var.aws_region, [])

  apprunner_subnet_ids = sort([
    for id, s in local.subnets : id
    if(
      length(var.apprunner_az_ids) > 0
      ? contains(var.apprunner_az_ids, s.az_id)
      : !contains(local.apprunner_excluded_az_ids, s.az_id)
    )
  ])

  # --- Interface endpoints ----------------------------------------------------
  # One subnet per AZ (an endpoint takes at most one per AZ), only in AZs both
  # endpoint services support, and only as many AZs as vpc_endpoint_az_count.
  endpoint_candidate_azs = sort(distinct([
    for id in local.apprunner_subnet_ids : local.subnets[id].az_name
    if contains(data.aws_vpc_endpoint_service.bedrock_runtime.availability_zones, local.subnets[id].az_name)
    && contains(data.aws_vpc_endpoint_service.secretsmanager.availability_zones, local.subnets[id].az_name)
  ]))

  endpoint_azs = slice(local.endpoint_candidate_azs, 0, min(var.vpc_endpoint_az_count, length(local.endpoint_candidate_azs)))

  endpoint_subnet_ids = [
    for az in local.endpoint_azs : sort([for id in local.apprunner_subnet_ids : id if local.subnets[id].az_name == az])[0]
  ]

  # --- Database -----------------------------------------------------------------
  db_subnet_ids = sort(keys(local.subnets))

  # --- Services of both compute targets -------------------------------------------
  services     = toset(var.apprunner_services)
  ecs_services = toset(var.ecs_express_services)
  ecs_enabled  = length(var.ecs_express_services) > 0

  container_port = "3000"

  # Plain environment of every service (both targets). Names are exactly what the app reads
  # (the guide's environment table; tests/infra/infra_contract.py checks them).
  # PORT comes from the image; AUTH_URL is added per service (auth_urls).
  app_environment = {
    AWS_REGION      = var.aws_region
    AUTH_TRUST_HOST = "true"
    CHATBOT_ENV     = "production"
    MODEL_PROVIDER  = "bedrock"
    LOG_LEVEL       = var.log_level
    LOG_FORMAT      = "json"
    AUTO_MIGRATE    = "true"
    # Off for a company deployment: signed-out visitors must sign in instead of spending the Bedrock budget.
    GUESTS_ENABLED = tostring(var.guests_enabled)
    # The attachments bucket (s3.tf); read by the app once issue 15 lands.
    S3_BUCKET = aws_s3_bucket.attachments.bucket
  }

  # Set only when given: an empty CHAT_MODELS would mean "no model", and
  # without DEFAULT_CHAT_MODEL / TITLE_MODEL the app takes its catalog's choice.
  optional_environment = {
    CHAT_MODELS        = join(",", var.chat_models)
    DEFAULT_CHAT_MODEL = var.default_chat_model
    TITLE_MODEL        = var.title_model
  }

  base_environment = merge(
    local.app_environment,
    { for k, v in local.optional_environment : k => v if v != null && v != "" },
    local.oidc_environment,
    var.extra_environment_variables,
  )

  # Secrets injected as environment variables from Secrets Manager: App Runner
  # reads them with the instance role, ECS with the task execution role.
  secret_environment = merge({
    POSTGRES_URL = aws_secretsmanager_secret.postgres_url.arn
    AUTH_SECRET  = aws_secretsmanager_secret.auth_secret.arn
    }, local.oidc_enabled ? {
    OIDC_CLIENT_SECRET = one(aws_secretsmanager_secret.oidc_client_secret[*].arn)
  } : {})

  # Flags added to every printed AWS CLI command.
  cli_flags = "--region ${var.aws_region}${var.aws_profile == null ? "" : " --profile ${var.aws_profile}"}"
}

# A warning, not an error: in a region the AZ map does not know, every standard
# AZ is used, which App Runner accepts unless one of them is unsupported.
check "apprunner_az_filter_known" {
  assert {
    condition     = length(var.apprunner_az_ids) > 0 || contains(keys(var.apprunner_unsupported_az_ids), var.aws_region)
    error_message = "No App Runner AZ information for ${var.aws_region}; all standard AZs are used. If App Runner rejects a subnet, list the supported AZ ids in apprunner_az_ids."
  }
}

# A model the app is told to use but the roles may not invoke fails at the
# first chat with AccessDenied; say so at plan instead.
check "one_openid_provider" {
  assert {
    condition     = !(var.cognito_enabled && var.oidc_issuer != null)
    error_message = "Both cognito_enabled and oidc_issuer are set: the services use Cognito and oidc_issuer is ignored."
  }
}

check "configured_models_are_in_the_catalog" {
  assert {
    condition = alltrue([
      for id in concat(var.chat_models, compact([var.default_chat_model, var.title_model])) : contains(local.bedrock_model_ids, id)
    ])
    error_message = "chat_models, default_chat_model and title_model must be ids of the model catalog (${local.model_catalog_path}); the app's roles may invoke only those."
  }
}
