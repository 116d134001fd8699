variable "name" {
  description = "Workgroup name, <project>-<env>."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9._-]{1,128}$", var.name))
    error_message = "Workgroup names are 1-128 letters, digits, periods, hyphens and underscores."
  }
}

variable "results_location" {
  description = "s3:// location for query results (the athena_results_root), ending with /."
  type        = string

  validation {
    condition     = startswith(var.results_location, "s3://") && endswith(var.results_location, "/")
    error_message = "results_location is an s3:// URL ending with \"/\"."
  }
}

variable "kms_key_arn" {
  description = "Key that encrypts query results."
  type        = string
}

variable "bytes_scanned_cutoff_per_query" {
  description = "Queries scanning more bytes than this are cancelled (cost guard)."
  type        = number
  default     = 10737418240 # 10 GiB

  validation {
    condition     = var.bytes_scanned_cutoff_per_query >= 10485760
    error_message = "Athena's minimum cutoff is 10 MiB (10485760 bytes)."
  }
}

variable "named_queries" {
  description = "Saved queries keyed by name: SQL text and the database it runs in."
  type = map(object({
    query    = string
    database = string
  }))
  default = {}
}
