variable "name_prefix" {
  description = "Physical name prefix, <project>-<env>; the secret is <name_prefix>-pii-hashing-key."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*-[a-z][a-z0-9]*$", var.name_prefix))
    error_message = "name_prefix must look like <project>-<env> (lowercase letters and digits)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key that encrypts the secret."
  type        = string
}

variable "recovery_window_days" {
  description = "Days a deleted secret stays recoverable (0 deletes at once: disposable environments only)."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_days == 0 || (var.recovery_window_days >= 7 && var.recovery_window_days <= 30)
    error_message = "recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "key_length" {
  description = "Length of the generated hashing key (characters)."
  type        = number
  default     = 64

  validation {
    condition     = var.key_length >= 32 && var.key_length <= 4096
    error_message = "key_length must be between 32 and 4096."
  }
}
