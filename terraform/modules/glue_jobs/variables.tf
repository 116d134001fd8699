variable "name_prefix" {
  description = "Physical name prefix, <project>-<env> (security configuration name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*-[a-z][a-z0-9]*$", var.name_prefix))
    error_message = "name_prefix must look like <project>-<env> (lowercase letters and digits)."
  }
}

variable "jobs" {
  description = "Glue jobs keyed by entry-script stem: job name, local script path, and how many runs may overlap."
  type = map(object({
    name                = string
    script_path         = string
    max_concurrent_runs = number
  }))

  validation {
    condition     = alltrue([for j in values(var.jobs) : j.max_concurrent_runs >= 1 && j.max_concurrent_runs <= 100])
    error_message = "max_concurrent_runs must be between 1 and 100."
  }
}

variable "library_zip_path" {
  description = "Local path of the prebuilt library zip (python scripts/package_glue_lib.py writes terraform/.build/lakehouse.zip)."
  type        = string
}

variable "artifacts_bucket" {
  description = "Bucket holding job scripts, the library zip and Glue's temp dir."
  type        = string
}

variable "artifacts_prefix" {
  description = "Prefix inside the artifacts bucket for everything Glue (scripts/, lib/, temp/)."
  type        = string
  default     = "glue"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]*$", var.artifacts_prefix))
    error_message = "artifacts_prefix is one path segment without slashes."
  }
}

variable "role_arn" {
  description = "Role the jobs run as."
  type        = string
}

variable "kms_key_arn" {
  description = "Key for the uploaded artifacts and the security configuration (S3 output, CloudWatch logs, bookmarks)."
  type        = string
}

variable "default_arguments" {
  description = "Job arguments every job gets (dataset roots, secret id), on top of the Glue runtime flags set here."
  type        = map(string)

  validation {
    condition     = alltrue([for k in keys(var.default_arguments) : startswith(k, "--")])
    error_message = "Glue job argument names start with \"--\"."
  }
}

variable "glue_version" {
  description = "Glue runtime version (5.1 = Spark 3.5.6, Python 3.11, Java 17)."
  type        = string
  default     = "5.1"
}

variable "workers" {
  description = "Worker type and maximum count (auto-scaling stays below it), timeout and execution class."
  type = object({
    worker_type       = string
    number_of_workers = number
    timeout_minutes   = number
    execution_class   = optional(string, "STANDARD")
  })

  validation {
    condition     = contains(["G.025X", "G.1X", "G.2X", "G.4X", "G.8X"], var.workers.worker_type)
    error_message = "worker_type must be one of G.025X, G.1X, G.2X, G.4X, G.8X."
  }

  validation {
    condition     = var.workers.number_of_workers >= 2 && var.workers.number_of_workers <= 299
    error_message = "number_of_workers must be between 2 and 299."
  }

  validation {
    condition     = var.workers.timeout_minutes >= 1 && var.workers.timeout_minutes <= 2880
    error_message = "timeout_minutes must be between 1 and 2880."
  }

  validation {
    condition     = contains(["STANDARD", "FLEX"], var.workers.execution_class)
    error_message = "execution_class must be STANDARD or FLEX."
  }
}
