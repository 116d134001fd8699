# The customer-managed key and the buckets. Child resources are written as
# for_each over local.data_buckets with bucket = aws_s3_bucket.data[each.key].id:
# with for_each = aws_s3_bucket.data checkov links children to the wrong buckets.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  buckets      = var.bucket_names
  data_buckets = { for role, name in local.buckets : role => name if role != var.log_bucket_role }
  log_bucket   = local.buckets[var.log_bucket_role]

  access_log_prefixes = { for role, name in local.data_buckets : role => "s3-access/${name}/" }

  # Services that use the key as themselves (service principals). Every other use
  # (Glue jobs, Athena results, Secrets Manager, the Scheduler, the state machine's
  # and Airflow's alerts) is by an IAM role of this stack, allowed through the
  # account statement and that role's own policy. S3 server access logging writes to
  # the SSE-S3 log bucket and never uses the key.
  key_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "KeyAdministrationByAccountIam"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncryption"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        # No kms:DescribeKey: it carries no encryption context, so under this condition
        # it could never be allowed (the IAM linter flags it).
        Action   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"]
        Resource = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*" }
        }
      },
      {
        # EventBridge rules and CloudWatch alarms publishing to the encrypted alerts
        # topic. No aws:SourceAccount / aws:SourceArn condition: these services do not
        # send them on this call, so such a condition silently drops every alert
        # (the rule counts FailedInvocations). The key policy the SNS guide gives for
        # them has none: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
        Sid       = "AlertPublishersToEncryptedTopic"
        Effect    = "Allow"
        Principal = { Service = ["events.amazonaws.com", "cloudwatch.amazonaws.com"] }
        Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource  = "*"
      },
    ]
  }

  # Rules per bucket: the two every bucket gets, plus transitions and expirations
  # addressed to its role.
  transitions = {
    for role in keys(var.bucket_names) : role => { for id, r in var.transition_rules : id => r if r.bucket_role == role }
  }
  expirations = {
    for role in keys(var.bucket_names) : role => { for id, r in var.expiration_rules : id => r if r.bucket_role == role }
  }
}

resource "aws_kms_key" "this" {
  description             = "${var.name_prefix} data platform: buckets, logs, topic, secrets, Glue and Athena output"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = jsonencode(local.key_policy)
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name_prefix}-data"
  target_key_id = aws_kms_key.this.key_id
}

# Data buckets (raw, curated, analytics, artifacts) and the access-log bucket are
# separate resources: the log bucket differs in encryption and logging, and
# checkov reports for_each instances as one resource.

resource "aws_s3_bucket" "data" {
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events: the pipeline is batch, started by Airflow/Step Functions; S3 access logs (logs bucket) and CloudTrail keep the audit trail.
  #checkov:skip=CKV_AWS_144:Cross-region replication is a disaster-recovery choice (second region, cost) left to forks; data is versioned, KMS-encrypted and the landing files are the replayable source.
  for_each = local.data_buckets

  bucket        = each.value
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_ownership_controls" "data" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.data[each.key].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "data" {
  for_each = local.data_buckets

  bucket                  = aws_s3_bucket.data[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "data" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.data[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-KMS with the key and S3 bucket keys (fewer KMS calls).
resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.data[each.key].id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
  }
}

resource "aws_s3_bucket_logging" "data" {
  for_each = local.data_buckets

  bucket        = aws_s3_bucket.data[each.key].id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = local.access_log_prefixes[each.key]

  # S3 checks that the target bucket lets the logging service write (through its
  # policy: ACLs are disabled) before it accepts the configuration.
  depends_on = [aws_s3_bucket_policy.logs, aws_s3_bucket_ownership_controls.logs]
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.data[each.key].id

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_upload_days
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
  }

  dynamic "rule" {
    for_each = local.transitions[each.key]
    content {
      id     = rule.key
      status = "Enabled"
      filter {
        prefix = rule.value.prefix
      }
      transition {
        days          = rule.value.standard_ia_after_days
        storage_class = "STANDARD_IA"
      }
      transition {
        days          = rule.value.archive_after_days
        storage_class = rule.value.archive_storage_class
      }
    }
  }

  dynamic "rule" {
    for_each = local.expirations[each.key]
    content {
      id     = rule.key
      status = "Enabled"
      filter {
        prefix = rule.value.prefix
      }
      expiration {
        days = rule.value.days
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.data]
}

# Object events of these buckets go to EventBridge's default bus, where a rule picks
# the landing markers (modules/orchestration). Every event type is sent; rules filter.
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
resource "aws_s3_bucket_notification" "eventbridge" {
  for_each = toset(var.eventbridge_bucket_roles)

  bucket      = aws_s3_bucket.data[each.value].id
  eventbridge = true
}

resource "aws_s3_bucket_policy" "data" {
  for_each = var.deny_statements ? local.data_buckets : {}

  bucket = aws_s3_bucket.data[each.key].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat([local.deny_insecure_transport[each.key]], local.deny_other_encryption[each.key])
  })

  depends_on = [aws_s3_bucket_public_access_block.data]
}

# ---------------------------------------------------------------- access-log bucket
resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_145:S3 server access logging delivers only to buckets with SSE-S3 default encryption, so the access-log bucket cannot use the KMS key; every data bucket does (asserted by tests/storage.tftest.hcl and the moto run).
  #checkov:skip=CKV_AWS_18:This is the access-log target; logging its own access into itself would create a log loop.
  #checkov:skip=CKV2_AWS_62:Access logs are read in batch (Athena/CLI); nothing consumes object events.
  #checkov:skip=CKV_AWS_144:Cross-region replication is a disaster-recovery choice left to forks; access logs are retained by lifecycle in the region they describe.
  bucket        = local.log_bucket
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_upload_days
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
  }

  dynamic "rule" {
    for_each = local.expirations[var.log_bucket_role]
    content {
      id     = rule.key
      status = "Enabled"
      filter {
        prefix = rule.value.prefix
      }
      expiration {
        days = rule.value.days
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

# S3's logging service writes through this policy (ACL grants are disabled by
# BucketOwnerEnforced). One statement per source bucket: each may only write its
# own prefix.
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      for role, name in local.data_buckets : {
        Sid       = "AccessLogsFrom${title(role)}"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/${local.access_log_prefixes[role]}*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
          ArnLike      = { "aws:SourceArn" = aws_s3_bucket.data[role].arn }
        }
      }
    ], var.deny_statements ? [local.deny_insecure_transport[var.log_bucket_role]] : [])
  })

  depends_on = [aws_s3_bucket_public_access_block.logs]
}

locals {
  deny_insecure_transport = {
    for role, name in local.buckets : role => {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:${local.partition}:s3:::${name}", "arn:${local.partition}:s3:::${name}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }
  }

  # Objects are encrypted with the platform key and nothing else. An upload without
  # encryption headers gets the bucket default (the key); one that asks for another
  # algorithm or another key is refused. Null = false: the Deny applies only when the
  # header is sent (a negated operator on an absent key is true, which would refuse
  # every upload relying on default encryption).
  # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
  # https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
  # https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
  deny_other_encryption = {
    for role, name in local.data_buckets : role => [
      {
        Sid       = "DenyUploadsWithOtherEncryption"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:PutObject"
        Resource  = "arn:${local.partition}:s3:::${name}/*"
        Condition = {
          Null            = { "s3:x-amz-server-side-encryption" = "false" }
          StringNotEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" }
        }
      },
      {
        Sid       = "DenyUploadsWithAnotherKey"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:PutObject"
        Resource  = "arn:${local.partition}:s3:::${name}/*"
        Condition = {
          Null            = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = "false" }
          StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = aws_kms_key.this.arn }
        }
      },
    ]
  }
}
