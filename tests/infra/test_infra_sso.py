"""Single sign-on (issue 16 item 4): an optional Cognito user pool, hosted
domain and app client, or another OpenID provider used directly; OIDC_ISSUER
and OIDC_CLIENT_ID in both targets' environment, OIDC_CLIENT_SECRET from
Secrets Manager. The Terraform side only: the app's code flow lands with
issue 16.
"""

from __future__ import annotations

import re

from infra_helpers import MODULE, REPO, blocks, expr, module_resources, module_variables, one
from test_infra_terraform_eval import evaluate, harness  # noqa: F401  (the fixture)

# aws_cognito_user_pool_client's arguments (hashicorp/terraform-provider-aws,
# internal/service/cognitoidp/user_pool_client.go, read 2026-11-29).
CLIENT_SCHEMA = {
    "access_token_validity", "allowed_oauth_flows", "allowed_oauth_flows_user_pool_client", "allowed_oauth_scopes",
    "analytics_configuration", "callback_urls", "default_redirect_uri", "enable_token_revocation", "explicit_auth_flows",
    "generate_secret", "id_token_validity", "logout_urls", "name", "prevent_user_existence_errors", "read_attributes",
    "refresh_token_validity", "supported_identity_providers", "token_validity_units", "user_pool_id", "write_attributes",
    "enable_propagate_additional_user_context_data", "auth_session_validity", "region", "refresh_token_rotation",
}
META = {"count", "for_each", "lifecycle", "depends_on", "provider"}
CALLBACK_PATH = "/api/auth/sso/callback"


def res(kind: str, name: str = "this") -> dict:
    return module_resources()[(kind, name)]


def test_everything_is_off_by_default():
    assert module_variables()["cognito_enabled"]["default"] is False
    assert module_variables()["oidc_issuer"]["default"] is None
    for kind in ("aws_cognito_user_pool", "aws_cognito_user_pool_domain", "aws_cognito_user_pool_client"):
        assert res(kind)["count"] == "${local.cognito_enabled ? 1 : 0}", kind
    assert res("aws_secretsmanager_secret", "oidc_client_secret")["count"] == "${local.oidc_enabled ? 1 : 0}"


def test_app_client_is_the_authorization_code_flow_with_the_apps_callback():
    client = res("aws_cognito_user_pool_client")
    assert set(client) - META <= CLIENT_SCHEMA, set(client) - META - CLIENT_SCHEMA
    assert client["allowed_oauth_flows"] == ["code"] and client["allowed_oauth_flows_user_pool_client"] is True
    assert client["allowed_oauth_scopes"] == ["openid", "email", "profile"]
    assert client["generate_secret"] is True, "a confidential client: the secret goes to Secrets Manager"
    assert client["callback_urls"] == "${local.sso_callback_urls}"
    assert client["logout_urls"] == "${local.sso_origins}"
    assert client["supported_identity_providers"] == '${concat(["COGNITO"], var.cognito_identity_providers)}'
    assert client["explicit_auth_flows"] == ["ALLOW_REFRESH_TOKEN_AUTH"], "no password flows through the API: only the hosted pages"
    assert "length(local.sso_origins) > 0" in expr(client["lifecycle"])
    # The callback path is the app's (issue 16: /api/auth/sso/callback).
    assert f'"${{origin}}{CALLBACK_PATH}"' in (MODULE / "cognito.tf").read_text(encoding="utf-8")
    domain = res("aws_cognito_user_pool_domain")
    assert domain["domain"] == "${local.cognito_domain_prefix}" and domain["user_pool_id"] == "${aws_cognito_user_pool.this[0].id}"


def test_user_pool_settings():
    pool = res("aws_cognito_user_pool")
    assert pool["username_attributes"] == ["email"] and pool["auto_verified_attributes"] == ["email"]
    assert one(pool["admin_create_user_config"])["allow_admin_create_user_only"] == "${!var.cognito_self_signup}"
    assert one(pool["password_policy"])["minimum_length"] >= 12
    assert pool["deletion_protection"] == '${var.deletion_protection ? "ACTIVE" : "INACTIVE"}'
    assert pool["mfa_configuration"] == "OPTIONAL"


def test_client_secret_reaches_secrets_manager_like_auth_secret():
    cognito = res("aws_secretsmanager_secret_version", "oidc_client_secret_cognito")
    assert cognito["secret_string"] == "${aws_cognito_user_pool_client.this[0].client_secret}"
    external = res("aws_secretsmanager_secret_version", "oidc_client_secret_external")
    assert "secret_string" not in external and external["secret_string_wo"] == "${var.oidc_client_secret}"
    assert external["secret_string_wo_version"] == "${var.secrets_version}"
    variable = module_variables()["oidc_client_secret"]
    assert variable["sensitive"] is True and variable["ephemeral"] is True
    # Both targets start only once the secret has a value.
    for kind, name in (("aws_apprunner_service", "this"), ("aws_ecs_express_gateway_service", "this")):
        depends = res(kind, name)["depends_on"]
        for version in ("oidc_client_secret_cognito", "oidc_client_secret_external"):
            assert f"${{aws_secretsmanager_secret_version.{version}}}" in depends, (kind, version)


def test_cognito_wires_issuer_client_and_secret_into_both_targets(harness):  # noqa: F811
    out = evaluate(harness, "sso-off")
    assert not {k for k in out["base_environment"] if k.startswith("OIDC_")}
    assert "OIDC_CLIENT_SECRET" not in out["secret_environment"]
    out = evaluate(harness, "sso-cognito", cognito_enabled=True, ecs_auth_urls={"prod": "https://chat.example.com"}, auth_urls={"prod": "https://chat.example.com"}, cognito_callback_origins=["http://localhost:3000"])
    env = out["base_environment"]
    assert env["OIDC_ISSUER"] == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1234"
    assert env["OIDC_CLIENT_ID"] == "client1234"
    assert out["secret_environment"]["OIDC_CLIENT_SECRET"] == "arn:oidc-client-secret"
    assert out["sso_callback_urls"] == ["http://localhost:3000" + CALLBACK_PATH, "https://chat.example.com" + CALLBACK_PATH]
    # App Runner reads secrets with the instance role (ECS with the execution role, the same list).
    reads = next(s for s in out["apprunner_instance_policy"]["Statement"] if s["Sid"] == "ReadAppSecrets")
    assert "arn:oidc-client-secret" in reads["Resource"]
    assert re.fullmatch(r"chatbot-dev-[0-9a-f]{8}", out["cognito_domain_prefix"])


def test_another_provider_directly(harness):  # noqa: F811
    issuer = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"
    out = evaluate(harness, "sso-direct", oidc_issuer=issuer, oidc_client_id="app-id", oidc_client_secret="s3cret-value")
    assert out["base_environment"]["OIDC_ISSUER"] == issuer and out["base_environment"]["OIDC_CLIENT_ID"] == "app-id"
    assert out["secret_environment"]["OIDC_CLIENT_SECRET"] == "arn:oidc-client-secret"
    assert "s3cret-value" not in str(out), "the secret itself never appears in Terraform's values"


def test_guide_explains_federation_and_direct_providers():
    guide = (REPO / "docs" / "aws-deployment.md").read_text(encoding="utf-8")
    section = guide.split("## Single Sign-On", 1)[1].split("\n## ", 1)[0]
    for needle in ("Entra ID", "Okta", "Google", "oidc_issuer", "cognito_identity_providers", "/oauth2/idpresponse", CALLBACK_PATH, "issue 16"):
        assert needle in section, needle
    outputs = set(blocks(MODULE / "outputs.tf", "output"))
    assert {"cognito_user_pool_id", "cognito_hosted_domain", "oidc_issuer", "oidc_client_id", "oidc_client_secret_arn", "sso_callback_urls"} <= outputs
