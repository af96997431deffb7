# checkov evaluates `count` with the variables it is given: with the defaults (phase 1)
# neither compute target exists and their resources go unchecked. tests/infra runs
# checkov with this file so that every resource of both targets is scanned.
environment          = "dev"
apprunner_services   = ["prod"]
ecs_express_services = ["prod"]
alarm_email          = "ops@example.com"
cognito_enabled      = true
ecs_auth_urls        = { prod = "https://chat.example.com" }
