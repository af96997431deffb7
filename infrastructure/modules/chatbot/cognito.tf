# Single sign-on (issue 16 item 4). Infrastructure ready; the app side (the
# OpenID Connect code flow at /api/auth/sso and /api/auth/sso/callback) lands
# with issue 16. Two ways to give the app an OpenID provider, both optional:
#  - cognito_enabled: an Amazon Cognito user pool, its hosted domain and an app
#    client for the authorization code flow; Entra ID, Okta or Google can be
#    federated into the pool (docs/aws-deployment.md, "Single Sign-On");
#  - oidc_issuer / oidc_client_id / oidc_client_secret: any other provider,
#    used directly.
# Either way both targets get OIDC_ISSUER and OIDC_CLIENT_ID as plain
# variables and OIDC_CLIENT_SECRET from Secrets Manager, like AUTH_SECRET.
#
# The client's callback URLs come from the services' pinned origins (auth_urls,
# ecs_auth_urls, plus cognito_callback_origins), not from the service URLs AWS
# assigns: the services' environment holds the client id, so a callback built
# from their URLs would be a dependency cycle. Pin AUTH_URL (phase 4) first.

locals {
  cognito_enabled = var.cognito_enabled
  external_oidc   = !var.cognito_enabled && var.oidc_issuer != null
  oidc_enabled    = local.cognito_enabled || local.external_oidc

  # The domain prefix is global per Region; the hash of the account keeps two
  # accounts with the same environment name apart.
  cognito_domain_prefix = coalesce(var.cognito_domain_prefix, "${local.name}-${substr(sha1(local.account_id), 0, 8)}")

  sso_origins       = sort(distinct(concat(values(var.auth_urls), values(var.ecs_auth_urls), var.cognito_callback_origins)))
  sso_callback_urls = [for origin in local.sso_origins : "${origin}/api/auth/sso/callback"]

  oidc_environment = local.cognito_enabled ? {
    OIDC_ISSUER    = "https://cognito-idp.${var.aws_region}.amazonaws.com/${one(aws_cognito_user_pool.this[*].id)}"
    OIDC_CLIENT_ID = one(aws_cognito_user_pool_client.this[*].id)
    } : local.external_oidc ? {
    OIDC_ISSUER    = var.oidc_issuer
    OIDC_CLIENT_ID = var.oidc_client_id
  } : {}
}

resource "aws_cognito_user_pool" "this" {
  count = local.cognito_enabled ? 1 : 0

  name = local.name

  # People sign in with their e-mail address, which Cognito verifies; with
  # cognito_self_signup off (the default) only an administrator adds users
  # (or they come from a federated provider).
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  admin_create_user_config {
    allow_admin_create_user_only = !var.cognito_self_signup
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = false
    temporary_password_validity_days = 7
  }

  mfa_configuration = "OPTIONAL"
  software_token_mfa_configuration {
    enabled = true
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  deletion_protection = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  tags                = local.common_tags
}

# The hosted sign-in pages: https://<prefix>.auth.<region>.amazoncognito.com.
resource "aws_cognito_user_pool_domain" "this" {
  count = local.cognito_enabled ? 1 : 0

  domain       = local.cognito_domain_prefix
  user_pool_id = aws_cognito_user_pool.this[0].id
}

# A confidential client (it has a secret) for the authorization code flow; the
# app adds PKCE, state and nonce. Tokens are never issued to the browser.
resource "aws_cognito_user_pool_client" "this" {
  count = local.cognito_enabled ? 1 : 0

  name         = local.name
  user_pool_id = aws_cognito_user_pool.this[0].id

  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  callback_urls                        = local.sso_callback_urls
  logout_urls                          = local.sso_origins
  supported_identity_providers         = concat(["COGNITO"], var.cognito_identity_providers)
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors        = "ENABLED"
  enable_token_revocation              = true

  lifecycle {
    precondition {
      condition     = length(local.sso_origins) > 0
      error_message = "cognito_enabled needs the service's public origin for the callback URL: set ecs_auth_urls or auth_urls (phase 4 of docs/aws-deployment.md; terraform output ecs_update_auth_url_commands prints it) or cognito_callback_origins."
    }
  }
}

# ------------------------------------------------------------ client secret

resource "aws_secretsmanager_secret" "oidc_client_secret" {
  #checkov:skip=CKV_AWS_149:Encrypted with the AWS-managed key (aws/secretsmanager), like the other two secrets.
  #checkov:skip=CKV2_AWS_57:The secret belongs to the identity provider: Cognito's changes only with a new app client, another provider's with oidc_client_secret and secrets_version.
  count = local.oidc_enabled ? 1 : 0

  name                    = "${local.name}/oidc-client-secret"
  description             = "OIDC_CLIENT_SECRET of ${local.name}: the OpenID Connect client secret"
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = local.common_tags
}

# Cognito's secret: the client resource has it in the Terraform state already
# (client_secret), so it is copied as it is.
resource "aws_secretsmanager_secret_version" "oidc_client_secret_cognito" {
  count = local.cognito_enabled ? 1 : 0

  secret_id     = aws_secretsmanager_secret.oidc_client_secret[0].id
  secret_string = aws_cognito_user_pool_client.this[0].client_secret
}

# Another provider's secret: write-only, like AUTH_SECRET (never in the state).
resource "aws_secretsmanager_secret_version" "oidc_client_secret_external" {
  count = local.external_oidc ? 1 : 0

  secret_id                = aws_secretsmanager_secret.oidc_client_secret[0].id
  secret_string_wo         = var.oidc_client_secret
  secret_string_wo_version = var.secrets_version

  lifecycle {
    precondition {
      condition     = var.oidc_client_id != null
      error_message = "oidc_issuer needs oidc_client_id (and oidc_client_secret) from the provider's app registration."
    }
  }
}
