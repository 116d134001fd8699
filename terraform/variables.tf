variable "project" {
  description = "Project name; first part of every physical name. Bucket names add env, role, account id and region (<project>-<env>-<role>-<account>-<region>, at most 63 characters), so they are unique across accounts and regions."
  type        = string

  validation {
    # 16 + env 8 + role 9 + account 12 + region 14 + 4 hyphens = 63, S3's maximum.
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.project))
    error_message = "project is 2-16 lowercase letters and digits, starting with a letter (no hyphens: names join parts with - and _; bucket names must fit in 63 characters)."
  }
}

variable "env" {
  description = "Environment name (dev, prod, ...)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,7}$", var.env))
    error_message = "env is 2-8 lowercase letters and digits, starting with a letter (bucket names must fit in 63 characters)."
  }
}

variable "aws_region" {
  description = "AWS region of the deployment."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region)) && length(var.aws_region) <= 14
    error_message = "aws_region must look like eu-west-1 (at most 14 characters, as every region code is)."
  }
}

variable "bucket_names" {
  description = "Bucket names to keep, by role (raw, curated, analytics, artifacts, logs), for a deployment made before bucket names carried the account and region: renaming a bucket replaces it. Roles not listed follow the naming rule of lakehouse/contracts/_layers.json."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for role, name in var.bucket_names : contains(["raw", "curated", "analytics", "artifacts", "logs"], role) && can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", name))])
    error_message = "bucket_names maps a role (raw, curated, analytics, artifacts, logs) to a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)."
  }
}

variable "tags" {
  description = "Extra tags on every resource (Project, Environment and ManagedBy are always set)."
  type        = map(string)
  default     = {}
}

variable "bucket_deny_statements" {
  description = "Attach the bucket policies' Deny statements (non-TLS requests; uploads encrypted other than with the platform key). Keep true; only the offline moto run sets false (moto treats every Deny with a Condition as matching)."
  type        = bool
  default     = true
}

variable "force_destroy_buckets" {
  description = "Let terraform destroy delete buckets that still hold objects (disposable environments only)."
  type        = bool
  default     = false
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the platform key is deleted after destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}

variable "lifecycle_days" {
  description = "Lifecycle of the buckets: landing files to STANDARD_IA and then archive (GLACIER), noncurrent versions, incomplete uploads, Athena results and access logs."
  type = object({
    landing_to_standard_ia = optional(number, 30)
    landing_to_archive     = optional(number, 90)
    noncurrent_versions    = optional(number, 90)
    incomplete_uploads     = optional(number, 7)
    athena_results         = optional(number, 30)
    glue_temp              = optional(number, 7)
    access_logs            = optional(number, 365)
  })
  default = {}

  validation {
    condition     = var.lifecycle_days.landing_to_standard_ia >= 30 && var.lifecycle_days.landing_to_archive > var.lifecycle_days.landing_to_standard_ia
    error_message = "Landing files stay at least 30 days before STANDARD_IA, and are archived after that."
  }

  validation {
    condition     = alltrue([for d in [var.lifecycle_days.noncurrent_versions, var.lifecycle_days.incomplete_uploads, var.lifecycle_days.athena_results, var.lifecycle_days.glue_temp, var.lifecycle_days.access_logs] : d >= 1])
    error_message = "Lifecycle day counts must be at least 1."
  }
}

variable "glue_workers" {
  description = "Glue worker type, maximum worker count (auto-scaling), timeout and execution class of every job."
  type = object({
    worker_type       = string
    number_of_workers = number
    timeout_minutes   = number
    execution_class   = optional(string, "STANDARD")
  })
  default = {
    worker_type       = "G.1X"
    number_of_workers = 2
    timeout_minutes   = 60
  }

  validation {
    condition     = contains(["G.025X", "G.1X", "G.2X", "G.4X", "G.8X"], var.glue_workers.worker_type)
    error_message = "worker_type must be one of G.025X, G.1X, G.2X, G.4X, G.8X."
  }

  validation {
    condition     = var.glue_workers.number_of_workers >= 2 && var.glue_workers.number_of_workers <= 299
    error_message = "number_of_workers must be between 2 and 299."
  }

  validation {
    condition     = var.glue_workers.timeout_minutes >= 1 && var.glue_workers.timeout_minutes <= 2880
    error_message = "timeout_minutes must be between 1 and 2880."
  }
}

variable "log_retention_days" {
  description = "Retention of the state machine's execution log group."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, ..., 365, ..., 3653)."
  }
}

variable "alert_subscriptions" {
  description = "Who gets alerts: SNS subscriptions { protocol, endpoint }, e.g. { protocol = \"email\", endpoint = \"data-oncall@example.com\" }."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []
}

variable "schedule" {
  description = "Optional EventBridge Scheduler trigger of the state machine; Airflow normally starts it, so it is off by default. A scheduled run processes the UTC date it fires on (default 23:45 UTC), as lakehouse-<date>-scheduled."
  type = object({
    enabled    = bool
    expression = optional(string, "cron(45 23 * * ? *)")
    timezone   = optional(string, "UTC")
  })
  default = { enabled = false }
}

variable "start_on_landing" {
  description = "Start a date's run when every source entity has written its landing marker (S3 -> EventBridge -> the state machine; docs/adr/0012). With it, the optional schedule is the deadline: it starts the date with an alert only if the markers never completed."
  type        = bool
  default     = true
}

variable "athena_bytes_scanned_cutoff" {
  description = "Athena cancels queries scanning more bytes than this (per query)."
  type        = number
  default     = 10737418240 # 10 GiB

  validation {
    condition     = var.athena_bytes_scanned_cutoff >= 10485760
    error_message = "Athena's minimum cutoff is 10 MiB (10485760 bytes)."
  }
}

variable "secret_recovery_window_days" {
  description = "Days the PII hashing key stays recoverable after destroy (0 deletes at once)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "airflow_principal_arns" {
  description = "Principals that may assume the Airflow role (e.g. the MWAA execution role). Empty: principals of this account allowed by their own policies."
  type        = list(string)
  default     = []
}

variable "analyst_principal_arns" {
  description = "Principals that may assume the analyst role. Empty: principals of this account allowed by their own policies."
  type        = list(string)
  default     = []
}

variable "lf_tag_key_prefix" {
  description = "Prefix of this environment's LF-tag keys (layer, pii). LF-tags are account-wide: environments sharing an account need distinct prefixes. null: \"<project>_<env>_\"."
  type        = string
  default     = null

  validation {
    condition     = var.lf_tag_key_prefix == null || can(regex("^[a-z0-9_]{0,40}$", var.lf_tag_key_prefix))
    error_message = "lf_tag_key_prefix is up to 40 lowercase letters, digits and underscores."
  }
}
