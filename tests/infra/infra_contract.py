"""What the infrastructure must agree with, in one place.

The model list is not written here: it is read from catalog/models.json, the
file the app's built-in catalog, Terraform's IAM policy and this contract all
take it from (test_infra_catalog.py checks they agree).

These are the application's facts (its configuration, port, health endpoint,
model catalog) as the Swift code implements them. The Terraform module, the
Dockerfile and docs/aws-deployment.md are all checked against this file, so a
renamed variable has to be changed here, visibly, and then everywhere else.
"""

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CATALOG_FILE = REPO / "catalog" / "models.json"

# Every environment variable the `chatbot` executable reads (AppConfiguration,
# the model providers, the AWS credential chain). Infrastructure may set only
# these names.
APP_ENV_VARS = {
    "PORT",
    "HOST",
    "POSTGRES_URL",
    "DATA_DIR",
    "PUBLIC_DIR",
    "VENDOR_JS_DIR",
    "AUTH_SECRET",
    "AUTH_TRUST_HOST",
    "AUTH_URL",
    "AWS_REGION",
    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
    "AWS_BEARER_TOKEN_BEDROCK",
    "MODELS_FILE",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "AUTO_MIGRATE",
    "CHATBOT_ENV",
    "MODEL_PROVIDER",
    "DEFAULT_CHAT_MODEL",
    "TITLE_MODEL",
    "CHAT_MODELS",
    "MAX_REQUEST_BODY_BYTES",
    "MAX_MESSAGE_LENGTH",
    "RATE_LIMIT_GUEST",
    "RATE_LIMIT_REGULAR",
    # Set by the infrastructure ahead of the app (issue 15, attachments): the
    # app reads it once that issue lands.
    "S3_BUCKET",
    # The same for single sign-on (issue 16): set only when an OpenID provider
    # is configured (cognito_enabled or oidc_issuer).
    "OIDC_ISSUER",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    # Access policy (issue 16): guests on or off, registration, allowed domains, admins, SSO details.
    "GUESTS_ENABLED",
    "REGISTRATION",
    "ALLOWED_EMAIL_DOMAINS",
    "ADMIN_EMAILS",
    "OIDC_SCOPES",
    "OIDC_NAME",
}

# Read by the runtime or the AWS credential chain rather than by our configuration code.
RUNTIME_ENV_VARS = {"SWIFT_BACKTRACE", "PATH"}

# Injected from Secrets Manager, never as plain environment variables.
SECRET_ENV_VARS = {"POSTGRES_URL", "AUTH_SECRET"}
# ... and, with single sign-on configured, this one too.
SSO_SECRET_ENV_VARS = {"OIDC_CLIENT_SECRET"}

# Plain variables every service (App Runner and ECS Express Mode) must get.
REQUIRED_SERVICE_ENV = {
    "AWS_REGION": None,  # the region variable
    "AUTH_TRUST_HOST": "true",
    "CHATBOT_ENV": "production",
    "MODEL_PROVIDER": "bedrock",
    "LOG_FORMAT": "json",
}

# What the image must default to.
IMAGE_ENV = {
    "PORT": "3000",
    "CHATBOT_ENV": "production",
    "MODEL_PROVIDER": "bedrock",
}

PORT = 3000
HEALTH_PATH = "/api/health"

# The seed's App Runner health check, kept verbatim.
HEALTH_CHECK = {
    "protocol": "HTTP",
    "path": HEALTH_PATH,
    "interval": 20,
    "timeout": 20,
    "healthy_threshold": 1,
    "unhealthy_threshold": 20,
}

# The exact build command of scripts/test, which the Dockerfile must run.
BUILD_COMMAND = "swift build -c release --static-swift-stdlib --product chatbot"


def catalog_entries() -> list[dict]:
    """catalog/models.json: a list of entries, or an object whose `models` is that list."""
    data = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    return data["models"] if isinstance(data, dict) else data


# The model catalog: the app's roles must be able to invoke every one.
CATALOG_MODEL_IDS = [entry["id"] for entry in catalog_entries()]

# A cross-Region inference profile id: geography prefix + foundation model id.
PROFILE_PREFIXES = ("global", "us-gov", "us", "eu", "apac", "jp", "au", "ca")

# Where each geography's profiles may route (AWS Bedrock user guide, "Supported
# Regions and models for inference profiles", read 2026-11-29).
US_PROFILE_REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2"]
EU_PROFILE_REGIONS = ["eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"]
APAC_PROFILE_REGIONS = ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2"]

# ECS Express Mode: the scaling metrics the ECS API accepts (botocore's ecs
# model, ExpressGatewayServiceScalingMetric).
ECS_SCALING_METRICS = ["AVERAGE_CPU", "AVERAGE_MEMORY", "REQUEST_COUNT_PER_TARGET"]
