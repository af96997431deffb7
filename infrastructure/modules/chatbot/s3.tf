# The attachments bucket (issue 15 item 3): one private bucket per environment
# for the files users attach to chats, passed to both compute targets as
# S3_BUCKET. Infrastructure ready; the app side (upload, storage behind one
# protocol, S3 through our own SigV4 signer) lands with issue 15. Until then the
# app ignores S3_BUCKET and the bucket stays empty.
#
# The app's roles may get, put and delete objects in this bucket and nothing
# else (iam.tf: local.attachments_statements). The containers reach S3 through
# a gateway endpoint (vpc.tf): App Runner's connector subnets and ECS's private
# subnets have no route to the internet.

locals {
  # Bucket names are global: the account id and Region keep two environments
  # (or two Regions) apart. At most 15 + 1 + 12 + 7 + 12 + 1 + 14 = 62 characters.
  attachments_bucket_name = "${local.name}-files-${local.account_id}-${var.aws_region}"
}

resource "aws_s3_bucket" "attachments" {
  #checkov:skip=CKV_AWS_18:Server access logs need a second bucket and are rarely read; object access is by the app's role only, and CloudTrail data events can be turned on for the bucket when an audit needs them.
  #checkov:skip=CKV_AWS_144:Cross-Region replication doubles storage for files that are copies of what users uploaded; versioning and RDS backups cover mistakes, not a Region loss.
  #checkov:skip=CKV2_AWS_62:No consumer of object events: the app records every file in its database.
  bucket        = local.attachments_bucket_name
  force_destroy = var.attachments_force_destroy
  tags          = merge(local.common_tags, { Name = local.attachments_bucket_name })
}

# ACLs off: the bucket owner owns every object, and only policies grant access.
resource "aws_s3_bucket_ownership_controls" "attachments" {
  bucket = aws_s3_bucket.attachments.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "attachments" {
  bucket                  = aws_s3_bucket.attachments.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# SSE-KMS with the AWS-managed key (aws/s3): the roles need no kms permission
# (the key is usable through S3 by principals of the account), and the bucket
# key keeps KMS requests, and their cost, low.
resource "aws_s3_bucket_server_side_encryption_configuration" "attachments" {
  bucket = aws_s3_bucket.attachments.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}

# Versioning: an object the app deletes or overwrites by mistake can be
# restored for attachments_noncurrent_days (the lifecycle rule below).
resource "aws_s3_bucket_versioning" "attachments" {
  bucket = aws_s3_bucket.attachments.id

  versioning_configuration {
    status = "Enabled"
  }
}

# The app deletes a chat's files with the chat; S3 then keeps the old versions
# for attachments_noncurrent_days and this rule removes them (and the delete
# markers left behind), so deleted files do not cost storage forever. Uploads
# that never completed are removed after a day.
resource "aws_s3_bucket_lifecycle_configuration" "attachments" {
  bucket = aws_s3_bucket.attachments.id

  rule {
    id     = "expire-deleted-files"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.attachments_noncurrent_days
    }

    expiration {
      expired_object_delete_marker = true
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.attachments]
}

# TLS only: any request over plain HTTP is refused, whoever makes it.
data "aws_iam_policy_document" "attachments_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.attachments.arn, "${aws_s3_bucket.attachments.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "attachments" {
  bucket = aws_s3_bucket.attachments.id
  policy = data.aws_iam_policy_document.attachments_bucket.json

  # The public access block first: S3 checks a new policy against it.
  depends_on = [aws_s3_bucket_public_access_block.attachments]
}
