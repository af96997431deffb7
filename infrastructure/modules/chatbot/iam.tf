# IAM, in three parts:
#  - the Bedrock policy document: what the running app may invoke. One
#    document, attached to App Runner's instance role and to the ECS task role,
#    so both targets can call exactly the same models;
#  - App Runner's two roles (ECR access for its build service; the instance
#    role, which also reads the two secrets at deployment);
#  - ECS Express Mode's three roles (task execution, task, infrastructure).
#
# Credentials of the app's role reach it through the container credentials
# endpoint (AWS_CONTAINER_CREDENTIALS_*) on both targets.

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id

  # --- The model list: one source -----------------------------------------------
  # catalog/models.json at the repository root is the app's built-in catalog;
  # Terraform reads the same file, so the IAM policy grants exactly the models
  # the app offers (tests/infra checks the three agree). The file is a list of
  # entries, or an object whose `models` is that list; each entry has an `id`.
  model_catalog_path = coalesce(var.model_catalog_file, "${path.module}/../../../catalog/models.json")
  model_catalog      = jsondecode(file(local.model_catalog_path))
  catalog_model_ids  = [for m in try(local.model_catalog.models, local.model_catalog) : m.id]
  bedrock_model_ids  = distinct(var.bedrock_model_ids != null ? var.bedrock_model_ids : local.catalog_model_ids)

  # --- How each id routes ---------------------------------------------------------
  # A cross-Region inference profile id is a foundation model id behind a
  # geography prefix: `us.`, `eu.`, `apac.` (and the smaller `jp.`, `au.`, `ca.`,
  # `us-gov.`) route within that geography's Regions; `global.` routes to any
  # commercial Region. An id without a prefix is the model itself, invoked in
  # the app's own Region.
  profile_prefix_pattern = "^(global|us-gov|us|eu|apac|jp|au|ca)\\.(.+)$"

  bedrock_profiles = {
    for id in local.bedrock_model_ids : id => {
      geography = regex(local.profile_prefix_pattern, id)[0]
      model     = regex(local.profile_prefix_pattern, id)[1]
      arn       = "arn:${local.partition}:bedrock:${var.aws_region}:${local.account_id}:inference-profile/${id}"
    } if can(regex(local.profile_prefix_pattern, id))
  }
  bedrock_direct_model_ids = [for id in local.bedrock_model_ids : id if !can(regex(local.profile_prefix_pattern, id))]

  bedrock_geographies = sort(distinct([for p in values(local.bedrock_profiles) : p.geography if p.geography != "global"]))
  bedrock_global      = { for id, p in local.bedrock_profiles : id => p if p.geography == "global" }

  # Per geography: the profiles, and the foundation models behind them in every
  # Region the geography routes to (plus the app's own Region, where a request
  # may also be served).
  bedrock_geography_grants = {
    for geo in local.bedrock_geographies : geo => {
      profile_arns = sort([for p in values(local.bedrock_profiles) : p.arn if p.geography == geo])
      model_arns = sort(flatten([
        for region in distinct(concat([var.aws_region], lookup(var.bedrock_profile_regions, geo, []))) : [
          for model in distinct([for p in values(local.bedrock_profiles) : p.model if p.geography == geo]) :
          "arn:${local.partition}:bedrock:${region}::foundation-model/${model}"
        ]
      ]))
    }
  }
}

# ------------------------------------------------------------ Bedrock policy
#
# Shaped as AWS documents it for inference profiles (Bedrock user guide,
# "Geographic cross-Region inference" and "Global cross-Region inference",
# read 2026-11-29): the profile in the source Region; the foundation model in
# every destination Region, but only when the request comes through one of our
# profiles (bedrock:InferenceProfileArn); for `global.` profiles the model in
# the source Region plus the Region-less model ARN, which is how a request
# routed to any commercial Region is authorised (aws:RequestedRegion is then
# "unspecified"). Converse and ConverseStream are authorised as InvokeModel and
# InvokeModelWithResponseStream.
#
# Written as plain values rather than an aws_iam_policy_document so that
# tests/infra can evaluate the whole policy with Terraform and no AWS provider.
locals {
  bedrock_actions     = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
  global_profile_arns = sort([for p in values(local.bedrock_global) : p.arn])

  bedrock_statements = concat(
    [for _ in(length(local.bedrock_profiles) > 0 ? [1] : []) : {
      Sid      = "InvokeInferenceProfiles"
      Effect   = "Allow"
      Action   = local.bedrock_actions
      Resource = sort([for p in values(local.bedrock_profiles) : p.arn])
    }],
    [for _ in(length(local.bedrock_direct_model_ids) > 0 ? [1] : []) : {
      Sid      = "InvokeModelsInThisRegion"
      Effect   = "Allow"
      Action   = local.bedrock_actions
      Resource = sort([for id in local.bedrock_direct_model_ids : "arn:${local.partition}:bedrock:${var.aws_region}::foundation-model/${id}"])
    }],
    [for geo, grant in local.bedrock_geography_grants : {
      Sid       = "ModelsThrough${replace(title(geo), "-", "")}Profiles"
      Effect    = "Allow"
      Action    = local.bedrock_actions
      Resource  = grant.model_arns
      Condition = { StringEquals = { "bedrock:InferenceProfileArn" = grant.profile_arns } }
    }],
    [for _ in(length(local.bedrock_global) > 0 ? [1] : []) : {
      Sid      = "ModelsThroughGlobalProfilesInThisRegion"
      Effect   = "Allow"
      Action   = local.bedrock_actions
      Resource = sort(distinct([for p in values(local.bedrock_global) : "arn:${local.partition}:bedrock:${var.aws_region}::foundation-model/${p.model}"]))
      Condition = { StringEquals = {
        "aws:RequestedRegion"         = [var.aws_region]
        "bedrock:InferenceProfileArn" = local.global_profile_arns
      } }
    }],
    [for _ in(length(local.bedrock_global) > 0 ? [1] : []) : {
      Sid      = "ModelsThroughGlobalProfilesAnywhere"
      Effect   = "Allow"
      Action   = local.bedrock_actions
      Resource = sort(distinct([for p in values(local.bedrock_global) : "arn:${local.partition}:bedrock:::foundation-model/${p.model}"]))
      Condition = { StringEquals = {
        "aws:RequestedRegion"         = ["unspecified"]
        "bedrock:InferenceProfileArn" = local.global_profile_arns
      } }
    }],
    # Anthropic models on Bedrock are AWS Marketplace products: on first use
    # Bedrock checks (and creates) the account's subscription as the caller,
    # so the caller needs these two actions. They take no resource ARN.
    [{
      Sid      = "MarketplaceSubscriptionForModels"
      Effect   = "Allow"
      Action   = ["aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe"]
      Resource = "*"
    }],
  )

  bedrock_policy = jsonencode({ Version = "2012-10-17", Statement = local.bedrock_statements })

  # The attachments bucket (s3.tf): the app reads, writes and deletes its own
  # objects and can do nothing else with S3 (no listing, no bucket settings).
  # The ARN is built from the name, so the policy needs no bucket to exist.
  attachments_bucket_arn = "arn:${local.partition}:s3:::${local.attachments_bucket_name}"
  attachments_statements = [{
    Sid      = "AttachmentObjects"
    Effect   = "Allow"
    Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    Resource = "${local.attachments_bucket_arn}/*"
  }]

  # What the running app may do, on either target: Bedrock and the attachments.
  app_statements = concat(local.bedrock_statements, local.attachments_statements)

  ecs_task_policy = jsonencode({ Version = "2012-10-17", Statement = local.app_statements })

  # App Runner reads runtime_environment_secrets with the instance role, so
  # that role gets the secrets statement next to the app's own.
  apprunner_instance_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.app_statements, [{
      Sid      = "ReadAppSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = local.app_secret_arns
    }])
  })

  app_secret_arns = concat([
    aws_secretsmanager_secret.postgres_url.arn,
    aws_secretsmanager_secret.auth_secret.arn,
  ], aws_secretsmanager_secret.oidc_client_secret[*].arn)
}

data "aws_iam_policy_document" "read_app_secrets" {
  statement {
    sid       = "ReadAppSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.app_secret_arns
  }
}

# ------------------------------------------------------ App Runner: ECR access

data "aws_iam_policy_document" "apprunner_build_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["build.apprunner.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "apprunner_ecr_access" {
  name               = "${local.name}-apprunner-ecr-access"
  description        = "App Runner pulls ${local.name} images from ECR"
  assume_role_policy = data.aws_iam_policy_document.apprunner_build_assume.json
  tags               = local.common_tags
}

# Scoped to this repository (AWS's managed AWSAppRunnerServicePolicyForECRAccess
# allows every repository of the account).
data "aws_iam_policy_document" "ecr_pull" {
  statement {
    sid = "PullThisRepository"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [aws_ecr_repository.this.arn]
  }

  # GetAuthorizationToken has no resource-level permissions.
  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "apprunner_ecr_access" {
  name   = "ecr-pull"
  role   = aws_iam_role.apprunner_ecr_access.id
  policy = data.aws_iam_policy_document.ecr_pull.json
}

# ---------------------------------------------------- App Runner: instance role

data "aws_iam_policy_document" "apprunner_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["tasks.apprunner.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "apprunner_instance" {
  name               = "${local.name}-apprunner-instance"
  description        = "What the ${local.name} container may do on App Runner: call Bedrock, use its attachments bucket, read its secrets"
  assume_role_policy = data.aws_iam_policy_document.apprunner_tasks_assume.json
  tags               = local.common_tags
}

resource "aws_iam_role_policy" "apprunner_instance" {
  name   = "chatbot-runtime"
  role   = aws_iam_role.apprunner_instance.id
  policy = local.apprunner_instance_policy
}

# ------------------------------------------------------------- ECS Express Mode
# Created only while ecs_express_services is not empty.

# Both task roles are assumed by ECS tasks of this account only (the confused-
# deputy guard AWS recommends for ecs-tasks).
data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# Execution role: what ECS itself does before the app runs: pull the image,
# create log streams, and read the two secrets into the container's environment.
resource "aws_iam_role" "ecs_execution" {
  count = local.ecs_enabled ? 1 : 0

  name               = "${local.name}-ecs-execution"
  description        = "ECS pulls ${local.name} images, writes its logs and reads its two secrets"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = local.common_tags
}

resource "aws_iam_role_policy_attachment" "ecs_execution" {
  count = local.ecs_enabled ? 1 : 0

  role       = aws_iam_role.ecs_execution[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "ecs_execution_secrets" {
  count = local.ecs_enabled ? 1 : 0

  name   = "read-app-secrets"
  role   = aws_iam_role.ecs_execution[0].id
  policy = data.aws_iam_policy_document.read_app_secrets.json
}

# Task role: what the running app may do: the shared Bedrock policy and the
# attachments bucket, nothing else.
resource "aws_iam_role" "ecs_task" {
  count = local.ecs_enabled ? 1 : 0

  name               = "${local.name}-ecs-task"
  description        = "What the ${local.name} container may do on ECS: call Bedrock, use its attachments bucket"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = local.common_tags
}

resource "aws_iam_role_policy" "ecs_task" {
  count = local.ecs_enabled ? 1 : 0

  name   = "chatbot-runtime"
  role   = aws_iam_role.ecs_task[0].id
  policy = local.ecs_task_policy
}

# Infrastructure role: Express Mode creates and manages the load balancer,
# target groups, security groups, certificate and auto scaling with it. The
# service cannot switch to another infrastructure role (changing it replaces
# the service), so its name is stable.
data "aws_iam_policy_document" "ecs_infrastructure_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "ecs_infrastructure" {
  count = local.ecs_enabled ? 1 : 0

  name               = "${local.name}-ecs-infrastructure"
  description        = "ECS Express Mode manages the load balancer and scaling of ${local.name}"
  assume_role_policy = data.aws_iam_policy_document.ecs_infrastructure_assume.json
  tags               = local.common_tags
}

resource "aws_iam_role_policy_attachment" "ecs_infrastructure" {
  count = local.ecs_enabled ? 1 : 0

  role       = aws_iam_role.ecs_infrastructure[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices"
}
