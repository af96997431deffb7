# PostgreSQL on RDS, and the two secrets App Runner injects: POSTGRES_URL (the
# full connection string, TLS required) and AUTH_SECRET.
#
# The master password and AUTH_SECRET travel only through write-only arguments
# (password_wo, secret_string_wo): Terraform sends them to AWS but stores them
# neither in the plan nor in the state. secrets_version tells Terraform when to
# send them again.

resource "aws_db_subnet_group" "this" {
  name        = "${local.name}-db"
  description = "Subnets of the ${local.name} database"
  subnet_ids  = local.db_subnet_ids
  tags        = local.common_tags

  lifecycle {
    precondition {
      condition     = length(distinct([for id in local.db_subnet_ids : local.subnets[id].az_id])) >= 2
      error_message = "RDS needs subnets in at least two Availability Zones."
    }
  }
}

# TLS is mandatory: the server refuses unencrypted connections (the app connects
# with sslmode=require). Slow statements and DDL are logged for CloudWatch.
resource "aws_db_parameter_group" "this" {
  # A prefix, not a name: a new major version creates the new group before the
  # old one (still attached) is deleted.
  name_prefix = "${local.name}-postgres${var.db_engine_version}-"
  family      = "postgres${var.db_engine_version}"
  description = "${local.name}: TLS required, slow-query and DDL logging"
  tags        = local.common_tags

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_157:Multi-AZ doubles the cost of a small deployment; it is the db_multi_az variable.
  #checkov:skip=CKV_AWS_118:Enhanced monitoring needs an extra IAM role and costs CloudWatch fees; basic RDS metrics suffice for one small instance.
  #checkov:skip=CKV_AWS_353:Performance Insights is being retired in favour of CloudWatch Database Insights; not enabled by default.
  #checkov:skip=CKV_AWS_354:Performance Insights is not enabled (see CKV_AWS_353), so there is nothing to encrypt.
  identifier     = "${local.name}-postgres"
  engine         = "postgres"
  engine_version = var.db_engine_version
  instance_class = var.db_instance_class

  db_name                             = var.db_name
  username                            = var.db_username
  password_wo                         = var.db_password
  password_wo_version                 = var.secrets_version
  iam_database_authentication_enabled = true

  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.database.id]
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = var.publicly_accessible
  multi_az               = var.db_multi_az
  port                   = 5432

  backup_retention_period    = var.db_backup_retention_days
  copy_tags_to_snapshot      = true
  auto_minor_version_upgrade = true
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = var.skip_final_snapshot
  final_snapshot_identifier  = "${local.name}-final"

  # The server and upgrade logs go to CloudWatch Logs next to the app's.
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]

  # Changes such as publicly_accessible = false take effect at once rather than
  # in the next maintenance window.
  apply_immediately = true

  tags = local.common_tags
}

# ------------------------------------------------------------------- secrets

resource "aws_secretsmanager_secret" "postgres_url" {
  #checkov:skip=CKV_AWS_149:Encrypted with the AWS-managed key (aws/secretsmanager); a customer-managed key adds cost and a key policy without a second reader to separate.
  #checkov:skip=CKV2_AWS_57:Rotation would need a Lambda that also rewrites the URL; rotate by changing db_password and secrets_version (see the guide).
  name                    = "${local.name}/postgres-url"
  description             = "POSTGRES_URL of ${local.name}: the PostgreSQL connection URL, TLS required (sslmode=require)"
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = local.common_tags
}

resource "aws_secretsmanager_secret_version" "postgres_url" {
  secret_id                = aws_secretsmanager_secret.postgres_url.id
  secret_string_wo         = "postgresql://${urlencode(var.db_username)}:${urlencode(var.db_password)}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.db_name}?sslmode=require"
  secret_string_wo_version = var.secrets_version
}

resource "aws_secretsmanager_secret" "auth_secret" {
  #checkov:skip=CKV_AWS_149:Encrypted with the AWS-managed key (aws/secretsmanager); see postgres_url.
  #checkov:skip=CKV2_AWS_57:Rotating AUTH_SECRET signs every user out; rotate by changing auth_secret and secrets_version when that is wanted.
  name                    = "${local.name}/auth-secret"
  description             = "AUTH_SECRET of ${local.name}: signs session cookies"
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = local.common_tags
}

resource "aws_secretsmanager_secret_version" "auth_secret" {
  secret_id                = aws_secretsmanager_secret.auth_secret.id
  secret_string_wo         = var.auth_secret
  secret_string_wo_version = var.secrets_version
}
