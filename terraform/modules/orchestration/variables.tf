variable "name" {
  description = "State machine name, <project>-<env>-daily-pipeline."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,80}$", var.name))
    error_message = "State machine names are 1-80 letters, digits, hyphens and underscores."
  }
}

variable "run_lock_table" {
  description = "Name of the DynamoDB run-lock table, <project>-<env>-run-lock (the definition's run_lock_table placeholder)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,255}$", var.run_lock_table))
    error_message = "DynamoDB table names are 3-255 letters, digits, underscores, hyphens and dots."
  }
}

variable "definition" {
  description = "Rendered Amazon States Language definition (templatefile() of step_functions/*.asl.json)."
  type        = string

  validation {
    condition     = can(jsondecode(var.definition).StartAt)
    error_message = "definition must be a JSON state machine with StartAt (is a placeholder unfilled?)."
  }
}

variable "role_arn" {
  description = "Role the state machine runs as."
  type        = string
}

variable "kms_key_arn" {
  description = "Key that encrypts the execution log group and the schedule."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the execution log group."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, ..., 365, ..., 3653)."
  }
}

variable "log_level" {
  description = "Execution history level sent to CloudWatch Logs."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ALL", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be ALL, ERROR or FATAL."
  }
}

variable "schedule" {
  description = "Optional EventBridge Scheduler trigger (Airflow is the normal trigger; off by default)."
  type = object({
    enabled    = bool
    expression = optional(string, "cron(45 23 * * ? *)")
    timezone   = optional(string, "UTC")
  })
  default = { enabled = false }
}

variable "scheduler_role_arn" {
  description = "Role EventBridge Scheduler uses to start executions (required when the schedule is enabled)."
  type        = string
  default     = null
}

variable "landing" {
  description = "Start the state machine when a landing object is written: the raw bucket's name and one key wildcard per object that completes a date's landing (markers and expected files: contracts module output landing_key_patterns; docs/adr/0012)."
  type = object({
    enabled     = bool
    bucket_name = optional(string)
    keys        = optional(list(string), [])
  })
  default = { enabled = false }
}

variable "events_role_arn" {
  description = "Role EventBridge starts executions with (required when landing.enabled)."
  type        = string
  default     = null
}
