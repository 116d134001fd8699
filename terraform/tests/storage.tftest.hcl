# Security properties of the buckets and the key.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
  }
}

variables {
  name_prefix = "lakehouse-dev"
  bucket_names = {
    raw       = "lakehouse-dev-raw-123456789012-eu-west-1"
    curated   = "lakehouse-dev-curated-123456789012-eu-west-1"
    analytics = "lakehouse-dev-analytics-123456789012-eu-west-1"
    artifacts = "lakehouse-dev-artifacts-123456789012-eu-west-1"
    logs      = "lakehouse-dev-logs-123456789012-eu-west-1"
  }
  transition_rules = {
    archive-landing-files = { bucket_role = "raw", prefix = "raw/", standard_ia_after_days = 30, archive_after_days = 90 }
  }
  expiration_rules = {
    expire-access-logs = { bucket_role = "logs", prefix = "", days = 365 }
  }
}

run "buckets" {
  module {
    source = "./modules/storage"
  }

  assert {
    condition     = toset(keys(aws_s3_bucket_server_side_encryption_configuration.data)) == toset(["raw", "curated", "analytics", "artifacts"])
    error_message = "Every data bucket has a default-encryption configuration."
  }

  assert {
    condition = alltrue(flatten([
      for sse in values(aws_s3_bucket_server_side_encryption_configuration.data) : [
        for rule in sse.rule : [
          rule.bucket_key_enabled == true,
          rule.apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms",
          rule.apply_server_side_encryption_by_default[0].kms_master_key_id == aws_kms_key.this.arn,
        ]
      ]
    ]))
    error_message = "Every data bucket is encrypted with the customer-managed key (SSE-KMS, bucket keys on)."
  }

  assert {
    condition     = toset(keys(aws_s3_bucket.data)) == toset(["raw", "curated", "analytics", "artifacts"]) && aws_s3_bucket.logs.bucket == "lakehouse-dev-logs-123456789012-eu-west-1"
    error_message = "Four data buckets and one access-log bucket, named as the root module's naming rule gives them."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.logs.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    error_message = "The access-log bucket uses SSE-S3 (the only encryption S3 server access logging delivers to)."
  }

  assert {
    condition = length(aws_s3_bucket_public_access_block.data) == 4 && alltrue([
      for pab in concat(values(aws_s3_bucket_public_access_block.data), [aws_s3_bucket_public_access_block.logs]) :
      pab.block_public_acls && pab.block_public_policy && pab.ignore_public_acls && pab.restrict_public_buckets
    ])
    error_message = "Public access is blocked on every bucket."
  }

  assert {
    condition     = length(aws_s3_bucket_ownership_controls.data) == 4 && alltrue([for oc in concat(values(aws_s3_bucket_ownership_controls.data), [aws_s3_bucket_ownership_controls.logs]) : oc.rule[0].object_ownership == "BucketOwnerEnforced"])
    error_message = "Object ownership is enforced (ACLs disabled) on every bucket."
  }

  assert {
    condition     = length(aws_s3_bucket_versioning.data) == 4 && alltrue([for v in concat(values(aws_s3_bucket_versioning.data), [aws_s3_bucket_versioning.logs]) : v.versioning_configuration[0].status == "Enabled"])
    error_message = "Versioning is enabled on every bucket."
  }

  assert {
    condition     = toset(keys(aws_s3_bucket_logging.data)) == toset(["raw", "curated", "analytics", "artifacts"]) && alltrue([for l in values(aws_s3_bucket_logging.data) : l.target_bucket == aws_s3_bucket.logs.id])
    error_message = "Every data bucket logs its access to the logs bucket."
  }

  assert {
    condition = length(aws_s3_bucket_lifecycle_configuration.data) == 4 && alltrue([
      for lc in concat(values(aws_s3_bucket_lifecycle_configuration.data), [aws_s3_bucket_lifecycle_configuration.logs]) :
      length([for r in lc.rule : r if length(r.abort_incomplete_multipart_upload) == 1]) == 1 &&
      length([for r in lc.rule : r if length(r.noncurrent_version_expiration) == 1]) == 1
    ])
    error_message = "Every bucket aborts incomplete uploads and expires noncurrent versions."
  }

  assert {
    condition = length([
      for r in aws_s3_bucket_lifecycle_configuration.data["raw"].rule : r
      if r.filter[0].prefix == "raw/" && toset([for t in r.transition : t.storage_class]) == toset(["STANDARD_IA", "GLACIER"])
    ]) == 1
    error_message = "Landing files (raw/ in the raw bucket) move to STANDARD_IA and then to archive."
  }

  assert {
    condition = toset(keys(aws_s3_bucket_policy.data)) == toset(["raw", "curated", "analytics", "artifacts"]) && alltrue([
      for p in concat(values(aws_s3_bucket_policy.data), [aws_s3_bucket_policy.logs]) :
      length([for s in jsondecode(p.policy).Statement : s if s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"]) == 1
    ])
    error_message = "Every bucket policy denies requests without TLS."
  }

  assert {
    condition = alltrue([
      for p in values(aws_s3_bucket_policy.data) : length([
        for s in jsondecode(p.policy).Statement : s
        if s.Effect == "Deny" && s.Action == "s3:PutObject" && (
          try(s.Condition.StringNotEquals["s3:x-amz-server-side-encryption"], "") == "aws:kms" ||
          try(s.Condition.StringNotEquals["s3:x-amz-server-side-encryption-aws-kms-key-id"], "") == aws_kms_key.this.arn
        )
      ]) == 2
    ])
    error_message = "Every data bucket refuses uploads encrypted with another algorithm or another key."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_kms_key.this.policy).Statement : !contains(try(flatten([s.Principal.Service]), []), "events.amazonaws.com") || try(s.Condition, null) == null
    ])
    error_message = "The key policy lets EventBridge publish to the encrypted topic without source conditions (EventBridge does not send them; such a condition drops every alert)."
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation == true
    error_message = "Key rotation is on."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_kms_key.this.policy).Statement :
      s.Sid == "KeyAdministrationByAccountIam" || alltrue([for a in flatten([s.Action]) : !strcontains(a, "*")])
    ])
    error_message = "Only the standard key-administration statement uses a wildcard action."
  }
}

run "buckets_for_moto" {
  module {
    source = "./modules/storage"
  }

  variables {
    deny_statements = false
  }

  assert {
    condition     = length(aws_s3_bucket_policy.data) == 0 && length([for s in jsondecode(aws_s3_bucket_policy.logs.policy).Statement : s if s.Effect == "Deny"]) == 0
    error_message = "deny_statements = false drops only the Deny statements (for moto)."
  }

  assert {
    condition     = length(aws_s3_bucket_server_side_encryption_configuration.data) == 4 && length(aws_s3_bucket_public_access_block.data) == 4
    error_message = "Turning the Deny statements off changes nothing else."
  }
}
