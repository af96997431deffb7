# Networking: the VPC connector App Runner sends all outbound traffic through
# (egress_type = "VPC"), the private subnets ECS tasks run in, the security
# groups that decide what that traffic may reach, and the VPC endpoints that
# stand in for the internet (there is no NAT gateway): Bedrock Runtime and
# Secrets Manager for both targets, and an S3 gateway for both (attachments;
# for ECS also image layers); for ECS also ECR (api, dkr) and CloudWatch Logs,
# which App Runner does not need because it pulls images and ships logs outside
# the VPC.
#
# Who talks to whom:
#   connector SG --5432--> database SG      (the app's PostgreSQL connections)
#   connector SG --443---> VPC CIDR, S3     (the interface endpoints, S3 gateway: attachments)
#   ECS task SG  --5432--> database SG      (same, from ECS tasks)
#   ECS task SG  --443---> VPC CIDR, S3     (interface endpoints, S3 gateway: image layers, attachments)
#   VPC CIDR     --3000--> ECS task SG      (Express Mode's load balancer)
#   admin_cidr_blocks --5432--> database SG (optional, for migrations from a workstation)
# Nothing else: the database accepts no other source, and the app can send
# nowhere else (unless ecs_egress_to_internet, for the NAT option). The endpoints accept 443 from the whole VPC rather than from
# this connector only, because a VPC can hold just one private-DNS endpoint per
# service: a second environment in the same VPC (create_vpc_endpoints = false)
# uses the first one's. Every call through them is still IAM-authenticated.

# ------------------------------------------------------------ security groups
# name_prefix with create_before_destroy: a replacement group is created (and
# attached) before the old one, which AWS refuses to delete while in use.

resource "aws_security_group" "apprunner_connector" {
  name_prefix = "${local.name}-apprunner-connector-"
  description = "App Runner VPC connector: outbound to PostgreSQL and the AWS interface endpoints only"
  vpc_id      = data.aws_vpc.selected.id
  tags        = merge(local.common_tags, { Name = "${local.name}-apprunner-connector" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "database" {
  name_prefix = "${local.name}-database-"
  description = "PostgreSQL: inbound 5432 from the app (App Runner connector, ECS tasks) and admin_cidr_blocks only"
  vpc_id      = data.aws_vpc.selected.id
  tags        = merge(local.common_tags, { Name = "${local.name}-database" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "endpoints" {
  count = var.create_vpc_endpoints ? 1 : 0

  name_prefix = "${local.name}-vpc-endpoints-"
  description = "Interface endpoints (bedrock-runtime, secretsmanager): inbound 443 from inside the VPC"
  vpc_id      = data.aws_vpc.selected.id
  tags        = merge(local.common_tags, { Name = "${local.name}-vpc-endpoints" })

  lifecycle {
    create_before_destroy = true
  }
}

# Connector egress. DNS needs no rule: security groups never filter traffic to
# the VPC's Amazon-provided resolver. With a NAT gateway added later, also allow
# 443 to 0.0.0.0/0 here.
resource "aws_vpc_security_group_egress_rule" "connector_to_database" {
  security_group_id            = aws_security_group.apprunner_connector.id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.database.id
  tags                         = local.common_tags
}

resource "aws_vpc_security_group_egress_rule" "connector_to_endpoints" {
  security_group_id = aws_security_group.apprunner_connector.id
  description       = "HTTPS to the interface endpoints inside the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = data.aws_vpc.selected.cidr_block
  tags              = local.common_tags
}

resource "aws_vpc_security_group_ingress_rule" "database_from_connector" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from App Runner"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.apprunner_connector.id
  tags                         = local.common_tags
}

resource "aws_vpc_security_group_ingress_rule" "database_from_admin" {
  for_each = toset(var.admin_cidr_blocks)

  security_group_id = aws_security_group.database.id
  description       = "PostgreSQL from an administrator network"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = each.value
  tags              = local.common_tags
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_vpc" {
  count = var.create_vpc_endpoints ? 1 : 0

  security_group_id = aws_security_group.endpoints[0].id
  description       = "HTTPS from inside the VPC (App Runner connectors)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = data.aws_vpc.selected.cidr_block
  tags              = local.common_tags
}

# ------------------------------------------------------------- VPC connector

resource "aws_apprunner_vpc_connector" "this" {
  vpc_connector_name = "${local.name}-connector"
  subnets            = local.apprunner_subnet_ids
  security_groups    = [aws_security_group.apprunner_connector.id]
  tags               = local.common_tags

  lifecycle {
    precondition {
      condition     = length(local.apprunner_subnet_ids) > 0
      error_message = "No subnet of the VPC is in an AZ App Runner supports; check subnet_ids, apprunner_az_ids and apprunner_unsupported_az_ids."
    }
  }
}

# ---------------------------------------------------------- interface endpoints

# Private DNS makes the regular hostnames (bedrock-runtime.<region>.amazonaws.com)
# resolve to these endpoints inside the VPC, so the app needs no endpoint
# override. The Bedrock endpoint serves every Converse/ConverseStream call,
# including cross-region inference profiles (the routing happens inside AWS).
# One resource serves every interface endpoint, by service: bedrock-runtime and
# secretsmanager serve both targets; ecr.api, ecr.dkr and logs only ECS tasks
# (local.ecs_interface_endpoints, below).
resource "aws_vpc_endpoint" "interface" {
  for_each = merge(
    var.create_vpc_endpoints ? {
      "bedrock-runtime" = data.aws_vpc_endpoint_service.bedrock_runtime.service_name
      "secretsmanager"  = data.aws_vpc_endpoint_service.secretsmanager.service_name
    } : {},
    { for service in local.ecs_interface_endpoints : service => data.aws_vpc_endpoint_service.ecs[service].service_name },
  )

  vpc_id              = data.aws_vpc.selected.id
  service_name        = each.value
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.endpoint_subnet_ids
  security_group_ids  = [aws_security_group.endpoints[0].id]
  tags                = merge(local.common_tags, { Name = "${local.name}-${replace(each.key, ".", "-")}" })

  lifecycle {
    precondition {
      condition     = length(local.endpoint_subnet_ids) > 0
      error_message = "No App Runner subnet is in an AZ where the bedrock-runtime and secretsmanager endpoint services are offered."
    }
    precondition {
      condition     = data.aws_vpc.selected.enable_dns_support && data.aws_vpc.selected.enable_dns_hostnames
      error_message = "Private DNS for the endpoints needs the VPC's DNS support and DNS hostnames turned on (the default VPC has both)."
    }
  }
}

# The endpoints were three resources before; existing deployments keep them.
moved {
  from = aws_vpc_endpoint.bedrock_runtime[0]
  to   = aws_vpc_endpoint.interface["bedrock-runtime"]
}
moved {
  from = aws_vpc_endpoint.secretsmanager[0]
  to   = aws_vpc_endpoint.interface["secretsmanager"]
}
moved {
  from = aws_vpc_endpoint.ecs["ecr.api"]
  to   = aws_vpc_endpoint.interface["ecr.api"]
}
moved {
  from = aws_vpc_endpoint.ecs["ecr.dkr"]
  to   = aws_vpc_endpoint.interface["ecr.dkr"]
}
moved {
  from = aws_vpc_endpoint.ecs["logs"]
  to   = aws_vpc_endpoint.interface["logs"]
}

# ------------------------------------------------------------ ECS Express Mode
# Everything below exists only while ecs_express_services is not empty.

locals {
  # The tasks' subnets: the caller's, or two created here in the first two AZs
  # where the endpoints can also be placed (and App Runner's AZ filter allows,
  # so a use1-az3-like AZ is avoided by both targets).
  ecs_create_subnets = local.ecs_enabled && var.ecs_subnet_ids == null
  ecs_subnet_azs     = slice(local.endpoint_candidate_azs, 0, min(2, length(local.endpoint_candidate_azs)))
  ecs_private_subnet_cidrs = var.ecs_private_subnet_cidrs != null ? var.ecs_private_subnet_cidrs : [
    for netnum in [250, 251] : cidrsubnet(data.aws_vpc.selected.cidr_block, 8, netnum)
  ]
  ecs_subnet_ids = var.ecs_subnet_ids != null ? var.ecs_subnet_ids : aws_subnet.ecs_private[*].id

  # Interface endpoints an ECS task in a private subnet needs besides the two
  # both targets use: the registry API and its image endpoint, and Logs for
  # the awslogs driver. (Fargate needs no ecs/ecs-agent endpoints.)
  ecs_interface_endpoints = local.ecs_enabled && var.create_vpc_endpoints ? toset(["ecr.api", "ecr.dkr", "logs"]) : toset([])
}

resource "aws_subnet" "ecs_private" {
  count = local.ecs_create_subnets ? 2 : 0

  vpc_id                  = data.aws_vpc.selected.id
  availability_zone       = local.ecs_subnet_azs[count.index]
  cidr_block              = local.ecs_private_subnet_cidrs[count.index]
  map_public_ip_on_launch = false
  tags = merge(local.common_tags, {
    Name        = "${local.name}-ecs-private-${count.index + 1}"
    ChatbotTier = local.ecs_subnet_tier
  })

  lifecycle {
    precondition {
      condition     = length(local.ecs_subnet_azs) == 2
      error_message = "ECS needs two AZs where the endpoint services are offered; pass ecs_subnet_ids (two private subnets in two AZs) instead."
    }
  }
}

# No route but the VPC's own: the tasks reach AWS through the endpoints only.
resource "aws_route_table" "ecs_private" {
  count = local.ecs_create_subnets ? 1 : 0

  vpc_id = data.aws_vpc.selected.id
  tags   = merge(local.common_tags, { Name = "${local.name}-ecs-private" })
}

resource "aws_route_table_association" "ecs_private" {
  count = local.ecs_create_subnets ? 2 : 0

  subnet_id      = aws_subnet.ecs_private[count.index].id
  route_table_id = aws_route_table.ecs_private[0].id
}

# S3 through a gateway endpoint: ECR keeps image layers in S3 (ECS tasks), and
# both targets' apps use the attachments bucket (s3.tf). A gateway endpoint
# costs nothing and works by routes: it is attached to the ECS private route
# table (this environment's own) and, when this environment creates the shared
# endpoints (create_vpc_endpoints), to the route tables of the App Runner
# connector's subnets (theirs, or the VPC's main route table for subnets
# without one). A route table takes one S3 gateway endpoint only, so a second
# environment in the same VPC (create_vpc_endpoints = false) uses the first
# one's routes, as it uses its interface endpoints.
data "aws_route_tables" "connector" {
  count = var.create_vpc_endpoints ? 1 : 0

  vpc_id = data.aws_vpc.selected.id
  filter {
    name   = "association.subnet-id"
    values = local.apprunner_subnet_ids
  }
}

data "aws_route_table" "main" {
  count = var.create_vpc_endpoints ? 1 : 0

  vpc_id = data.aws_vpc.selected.id
  filter {
    name   = "association.main"
    values = ["true"]
  }
}

locals {
  s3_endpoint_route_table_ids = sort(distinct(concat(
    aws_route_table.ecs_private[*].id,
    var.create_vpc_endpoints ? concat(data.aws_route_tables.connector[0].ids, [data.aws_route_table.main[0].id]) : [],
  )))
  s3_endpoint_enabled = local.ecs_create_subnets || var.create_vpc_endpoints
}

data "aws_vpc_endpoint_service" "s3" {
  count = local.s3_endpoint_enabled ? 1 : 0

  service      = "s3"
  service_type = "Gateway"
}

resource "aws_vpc_endpoint" "s3" {
  count = local.s3_endpoint_enabled ? 1 : 0

  vpc_id            = data.aws_vpc.selected.id
  service_name      = data.aws_vpc_endpoint_service.s3[0].service_name
  vpc_endpoint_type = "Gateway"
  route_table_ids   = local.s3_endpoint_route_table_ids
  tags              = merge(local.common_tags, { Name = "${local.name}-s3" })
}

# S3's address ranges in this Region, for the security groups' HTTPS rules
# (traffic through a gateway endpoint keeps S3's public addresses).
data "aws_prefix_list" "s3" {
  name = "com.amazonaws.${var.aws_region}.s3"
}

resource "aws_vpc_security_group_egress_rule" "connector_to_s3" {
  security_group_id = aws_security_group.apprunner_connector.id
  description       = "HTTPS to S3 through the gateway endpoint (attachments)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_prefix_list.s3.id
  tags              = local.common_tags
}

data "aws_vpc_endpoint_service" "ecs" {
  for_each = local.ecs_interface_endpoints

  service      = each.key
  service_type = "Interface"
}

resource "aws_security_group" "ecs_tasks" {
  #checkov:skip=CKV2_AWS_5:Attached to the ECS Express Mode services (network_configuration.security_groups in ecs.tf), a resource type checkov's attachment check does not know.
  count = local.ecs_enabled ? 1 : 0

  name_prefix = "${local.name}-ecs-tasks-"
  description = "ECS Express tasks: 3000 from the VPC (load balancer); out to PostgreSQL, the endpoints and S3 only"
  vpc_id      = data.aws_vpc.selected.id
  tags        = merge(local.common_tags, { Name = "${local.name}-ecs-tasks" })

  lifecycle {
    create_before_destroy = true
  }
}

# The load balancer Express Mode creates lives in the VPC; its security group
# is Express Mode's, not known here, hence the VPC range.
resource "aws_vpc_security_group_ingress_rule" "ecs_from_vpc" {
  count = local.ecs_enabled ? 1 : 0

  security_group_id = aws_security_group.ecs_tasks[0].id
  description       = "The app's port from the load balancer"
  ip_protocol       = "tcp"
  from_port         = tonumber(local.container_port)
  to_port           = tonumber(local.container_port)
  cidr_ipv4         = data.aws_vpc.selected.cidr_block
  tags              = local.common_tags
}

resource "aws_vpc_security_group_egress_rule" "ecs_to_database" {
  count = local.ecs_enabled ? 1 : 0

  security_group_id            = aws_security_group.ecs_tasks[0].id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.database.id
  tags                         = local.common_tags
}

resource "aws_vpc_security_group_egress_rule" "ecs_to_endpoints" {
  count = local.ecs_enabled ? 1 : 0

  security_group_id = aws_security_group.ecs_tasks[0].id
  description       = "HTTPS to the interface endpoints inside the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = data.aws_vpc.selected.cidr_block
  tags              = local.common_tags
}

resource "aws_vpc_security_group_egress_rule" "ecs_to_s3" {
  count = local.ecs_enabled ? 1 : 0

  security_group_id = aws_security_group.ecs_tasks[0].id
  description       = "HTTPS to S3 through the gateway endpoint (image layers, attachments)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_prefix_list.s3.id
  tags              = local.common_tags
}

resource "aws_vpc_security_group_egress_rule" "ecs_to_internet" {
  count = local.ecs_enabled && var.ecs_egress_to_internet ? 1 : 0

  security_group_id = aws_security_group.ecs_tasks[0].id
  description       = "HTTPS to the internet through the caller's NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.common_tags
}

# The task group's own rule into the database group (not a shared source).
resource "aws_vpc_security_group_ingress_rule" "database_from_ecs" {
  count = local.ecs_enabled ? 1 : 0

  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from ECS tasks"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.ecs_tasks[0].id
  tags                         = local.common_tags
}
