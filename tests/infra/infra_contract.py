"""What the infrastructure must agree with, in one place.

These are the application's facts (its configuration, port, health endpoint,
model catalog) as the Swift code implements them. The Terraform module, the
Dockerfile and docs/aws-deployment.md are all checked against this file, so a
renamed variable has to be changed here, visibly, and then everywhere else.
"""

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
}

# Read by the runtime or the AWS credential chain rather than by our configuration code.
RUNTIME_ENV_VARS = {"SWIFT_BACKTRACE", "PATH"}

# Injected from Secrets Manager, never as plain environment variables.
SECRET_ENV_VARS = {"POSTGRES_URL", "AUTH_SECRET"}

# Plain variables every App Runner service must get.
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

# The model catalog: the instance role must be able to invoke every one.
CATALOG_MODEL_IDS = [
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "us.anthropic.claude-sonnet-4-20250514-v1:0",
    "us.anthropic.claude-haiku-4-20250514-v1:0",
    "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
    "amazon.nova-lite-v1:0",
    "amazon.nova-pro-v1:0",
]

# Regions a US cross-region inference profile routes to.
US_PROFILE_REGIONS = ["us-east-1", "us-east-2", "us-west-2"]

DEFAULT_CHAT_MODEL = "amazon.nova-lite-v1:0"
TITLE_MODEL = "amazon.nova-lite-v1:0"
