variable "name_prefix" {
  description = "Physical name prefix, <project>-<env>, of the key alias."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*-[a-z][a-z0-9]*$", var.name_prefix))
    error_message = "name_prefix must look like <project>-<env> (lowercase letters and digits)."
  }
}

variable "bucket_names" {
  description = "Bucket name per role (raw, curated, analytics, artifacts, logs), built by the root module's naming rule. Must include log_bucket_role."
  type        = map(string)

  validation {
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    condition     = alltrue([for name in values(var.bucket_names) : can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", name)) && length(name) >= 3 && length(name) <= var.max_bucket_name_length])
    error_message = "Every bucket name must be 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (S3's rules)."
  }
}

variable "max_bucket_name_length" {
  description = "Longest bucket name S3 accepts (63)."
  type        = number
  default     = 63
}

variable "log_bucket_role" {
  description = "Role of the bucket that receives S3 server access logs of every other bucket."
  type        = string
  default     = "logs"

  validation {
    condition     = contains(keys(var.bucket_names), var.log_bucket_role)
    error_message = "log_bucket_role must be one of the roles of bucket_names."
  }
}

variable "transition_rules" {
  description = "Archive transitions, keyed by rule id: objects under prefix in bucket_role move to STANDARD_IA, then to archive_storage_class."
  type = map(object({
    bucket_role            = string
    prefix                 = string
    standard_ia_after_days = number
    archive_after_days     = number
    archive_storage_class  = optional(string, "GLACIER")
  }))
  default = {}

  validation {
    condition = alltrue([
      for r in values(var.transition_rules) :
      r.standard_ia_after_days >= 30 && r.archive_after_days > r.standard_ia_after_days
    ])
    error_message = "STANDARD_IA needs at least 30 days, and archiving must come after it."
  }

  validation {
    condition     = alltrue([for r in values(var.transition_rules) : contains(["GLACIER", "GLACIER_IR", "DEEP_ARCHIVE"], r.archive_storage_class)])
    error_message = "archive_storage_class must be GLACIER, GLACIER_IR or DEEP_ARCHIVE."
  }
}

variable "expiration_rules" {
  description = "Current-version expirations, keyed by rule id: objects under prefix (\"\" = whole bucket) in bucket_role expire after days."
  type = map(object({
    bucket_role = string
    prefix      = string
    days        = number
  }))
  default = {}

  validation {
    condition     = alltrue([for r in values(var.expiration_rules) : r.days >= 1])
    error_message = "Expiration days must be at least 1."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions are deleted (every bucket)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "abort_incomplete_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted (every bucket)."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_upload_days >= 1
    error_message = "abort_incomplete_upload_days must be at least 1."
  }
}

variable "deny_statements" {
  description = "Attach the bucket policies' Deny statements (non-TLS requests; uploads encrypted other than with the key). Keep true; only the offline moto run sets false (moto treats every Deny with a Condition as matching)."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let terraform destroy delete non-empty buckets (disposable environments only)."
  type        = bool
  default     = false
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the KMS key is deleted after destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}

variable "eventbridge_bucket_roles" {
  description = "Bucket roles whose object events go to EventBridge (the raw bucket when runs start on landing markers)."
  type        = list(string)
  default     = []
}
