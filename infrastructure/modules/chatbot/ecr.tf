# The image repository every App Runner service of this environment pulls from.

resource "aws_ecr_repository" "this" {
  #checkov:skip=CKV_AWS_51:Tags stay mutable on purpose: the guide's workflow pushes :latest and redeploys it; use image_tags with unique tags for immutable releases.
  name                 = local.name
  image_tag_mutability = "MUTABLE"
  force_delete         = var.ecr_force_delete
  tags                 = local.common_tags

  # Basic scanning of each pushed image for known OS-package CVEs.
  image_scanning_configuration {
    scan_on_push = true
  }

  # KMS with the AWS-managed key (aws/ecr): encrypted with KMS at no key cost
  # and no key policy to keep; App Runner's access role needs no kms permission.
  encryption_configuration {
    encryption_type = "KMS"
  }
}

# Old images expire, so the repository's storage cost stays flat.
resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the newest ${var.ecr_keep_images} images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.ecr_keep_images
      }
      action = { type = "expire" }
    }]
  })
}
