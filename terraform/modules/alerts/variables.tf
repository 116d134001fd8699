variable "name_prefix" {
  description = "Physical name prefix, <project>-<env>; the topic is <name_prefix>-alerts."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*-[a-z][a-z0-9]*$", var.name_prefix))
    error_message = "name_prefix must look like <project>-<env> (lowercase letters and digits)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key that encrypts the topic."
  type        = string
}

variable "subscriptions" {
  description = "Who gets alerts: SNS subscriptions as { protocol, endpoint } (e.g. email, https, sqs, lambda)."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.subscriptions : contains(["email", "email-json", "http", "https", "sqs", "lambda", "sms", "firehose", "application"], s.protocol)])
    error_message = "protocol must be an SNS protocol (email, email-json, http, https, sqs, lambda, sms, firehose, application)."
  }
}

variable "state_machine_arn" {
  description = "State machine whose failed, timed-out and aborted executions raise alerts."
  type        = string
}

variable "glue_job_names" {
  description = "Glue jobs whose failed runs raise alerts."
  type        = list(string)
}

variable "alarm_period_seconds" {
  description = "Evaluation period of the alarms."
  type        = number
  default     = 300

  validation {
    condition     = contains([60, 300, 900, 3600], var.alarm_period_seconds)
    error_message = "alarm_period_seconds must be 60, 300, 900 or 3600."
  }
}
