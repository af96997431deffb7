# Networking: the VPC connector App Runner sends all outbound traffic through
# (egress_type = "VPC"), the security groups that decide what that traffic may
# reach, and the interface endpoints that stand in for the internet (there is no
# NAT gateway): Bedrock Runtime and Secrets Manager.
#
# Who talks to whom:
#   connector SG --5432--> database SG      (the app's PostgreSQL connections)
#   connector SG --443---> VPC CIDR         (the interface endpoints)
#   admin_cidr_blocks --5432--> database SG (optional, for migrations from a workstation)
# Nothing else: the database accepts no other source, and the connector can send
# nowhere else. The endpoints accept 443 from the whole VPC rather than from
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
  description = "PostgreSQL: inbound 5432 from the App Runner connector and admin_cidr_blocks only"
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
resource "aws_vpc_endpoint" "bedrock_runtime" {
  count = var.create_vpc_endpoints ? 1 : 0

  vpc_id              = data.aws_vpc.selected.id
  service_name        = data.aws_vpc_endpoint_service.bedrock_runtime.service_name
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.endpoint_subnet_ids
  security_group_ids  = [aws_security_group.endpoints[0].id]
  tags                = merge(local.common_tags, { Name = "${local.name}-bedrock-runtime" })

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

resource "aws_vpc_endpoint" "secretsmanager" {
  count = var.create_vpc_endpoints ? 1 : 0

  vpc_id              = data.aws_vpc.selected.id
  service_name        = data.aws_vpc_endpoint_service.secretsmanager.service_name
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.endpoint_subnet_ids
  security_group_ids  = [aws_security_group.endpoints[0].id]
  tags                = merge(local.common_tags, { Name = "${local.name}-secretsmanager" })
}
