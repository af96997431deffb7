# Two roles:
#  - the ECR access role App Runner's build service assumes to pull the image;
#  - the instance role the running container gets: its credentials reach the app
#    through the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_*),
#    and App Runner itself uses it to read the two secrets at deployment.

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id

  # A cross-region inference profile id is a foundation model id behind a
  # geography prefix (us., eu., apac., ...); `global.` profiles route anywhere.
  bedrock_profile_ids = [for id in var.bedrock_model_ids : id if can(regex("^(us|us-gov|eu|apac|jp|au|ca|global)\\.", id))]
  bedrock_base_model_ids = distinct([
    for id in var.bedrock_model_ids : replace(id, "/^(us|us-gov|eu|apac|jp|au|ca|global)\\./", "")
  ])

  # The profile lives in the app's region; the request it routes may be served
  # in any region of bedrock_inference_regions, so the underlying foundation
  # model must be allowed in each (and in the app's own region, for models
  # called directly such as amazon.nova-lite-v1:0).
  bedrock_model_regions = distinct(concat([var.aws_region], var.bedrock_inference_regions))

  bedrock_resource_arns = concat(
    [for id in local.bedrock_profile_ids : "arn:${local.partition}:bedrock:${var.aws_region}:${local.account_id}:inference-profile/${id}"],
    flatten([
      for region in local.bedrock_model_regions : [
        for id in local.bedrock_base_model_ids : "arn:${local.partition}:bedrock:${region}::foundation-model/${id}"
      ]
    ]),
  )
}

# ------------------------------------------------------------ ECR access role

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

# --------------------------------------------------------------- instance role

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
  description        = "What the ${local.name} container may do: call Bedrock, read its two secrets"
  assume_role_policy = data.aws_iam_policy_document.apprunner_tasks_assume.json
  tags               = local.common_tags
}

data "aws_iam_policy_document" "apprunner_instance" {
  # Converse and ConverseStream are authorised as InvokeModel and
  # InvokeModelWithResponseStream, on the profile and on the model behind it.
  statement {
    sid = "InvokeCatalogModels"
    actions = [
      "bedrock:InvokeModel",
      "bedrock:InvokeModelWithResponseStream",
    ]
    resources = local.bedrock_resource_arns
  }

  # Anthropic models on Bedrock are AWS Marketplace products: Bedrock checks
  # (and on first use creates) the account's subscription as the caller, so
  # the caller needs these two actions. They take no resource ARN.
  statement {
    sid = "MarketplaceSubscriptionForModels"
    actions = [
      "aws-marketplace:ViewSubscriptions",
      "aws-marketplace:Subscribe",
    ]
    resources = ["*"]
  }

  # App Runner reads runtime_environment_secrets with this role.
  statement {
    sid     = "ReadAppSecrets"
    actions = ["secretsmanager:GetSecretValue"]
    resources = [
      aws_secretsmanager_secret.postgres_url.arn,
      aws_secretsmanager_secret.auth_secret.arn,
    ]
  }
}

resource "aws_iam_role_policy" "apprunner_instance" {
  name   = "chatbot-runtime"
  role   = aws_iam_role.apprunner_instance.id
  policy = data.aws_iam_policy_document.apprunner_instance.json
}
