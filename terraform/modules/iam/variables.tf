variable "name_prefix" {
  description = "Physical name prefix, <project>-<env>; roles are <name_prefix>-<actor>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*-[a-z][a-z0-9]*$", var.name_prefix))
    error_message = "name_prefix must look like <project>-<env> (lowercase letters and digits)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts buckets, logs, topic and secret."
  type        = string
}

variable "bucket_names" {
  description = "Bucket name per role (raw, curated, analytics, artifacts, logs)."
  type        = map(string)
}

variable "roots" {
  description = "Dataset roots: key => { bucket = bucket role, prefix } (from _layers.json)."
  type        = map(object({ bucket = string, prefix = string }))

  validation {
    condition     = alltrue([for key in ["raw_root", "bronze_root", "silver_root", "quarantine_root", "gold_staging_root", "ops_root", "athena_results_root"] : contains(keys(var.roots), key)])
    error_message = "roots must define raw_root, bronze_root, silver_root, quarantine_root, gold_staging_root, ops_root and athena_results_root."
  }
}

variable "lake_root_keys" {
  description = "Roots the Glue jobs write and Lake Formation governs (every root but the landing files and Athena results)."
  type        = list(string)

  validation {
    condition     = length(var.lake_root_keys) > 0 && !contains(var.lake_root_keys, "raw_root")
    error_message = "lake_root_keys must not be empty and must not include raw_root: landing files are read-only."
  }
}

variable "glue_artifacts_prefix" {
  description = "Prefix in the artifacts bucket holding Glue scripts, the library zip and Glue's temp dir (<prefix>/temp)."
  type        = string
  default     = "glue"
}

variable "glue_job_names" {
  description = "Names of the Glue jobs the state machine may run."
  type        = list(string)
}

variable "airflow_glue_job_names" {
  description = "Names of the Glue jobs an Airflow DAG runs itself (the maintenance job, docs/adr/0014); the state machine may not run them."
  type        = list(string)

  validation {
    condition     = length(var.airflow_glue_job_names) > 0
    error_message = "airflow_glue_job_names must name the maintenance job (glue_jobs/maintenance.py): the Airflow role's RunMaintenanceJob statement needs a resource."
  }
}

variable "state_machine_name" {
  description = "Name of the daily-pipeline state machine (Airflow and the scheduler may start it)."
  type        = string
}

variable "athena_workgroup_name" {
  description = "Athena workgroup used by the state machine's checks and by analysts."
  type        = string
}

variable "alerts_topic_arn" {
  description = "SNS topic the state machine publishes alerts to."
  type        = string
}

variable "pii_secret_arn" {
  description = "Secrets Manager secret holding the PII hashing key (read by Glue jobs)."
  type        = string
}

variable "database_names" {
  description = "Glue database name per layer (bronze, silver, gold, quarantine, ops)."
  type        = map(string)

  validation {
    condition     = alltrue([for layer in ["bronze", "silver", "gold", "quarantine", "ops"] : contains(keys(var.database_names), layer)])
    error_message = "database_names must name the bronze, silver, gold, quarantine and ops databases."
  }
}

variable "airflow_principal_arns" {
  description = "IAM principals (e.g. the Airflow/MWAA execution role) allowed to assume the Airflow role. Empty: any principal of this account whose own policy allows it."
  type        = list(string)
  default     = []
}

variable "analyst_principal_arns" {
  description = "IAM principals allowed to assume the analyst role. Empty: any principal of this account whose own policy allows it."
  type        = list(string)
  default     = []
}

variable "scheduler_enabled" {
  description = "Create the role EventBridge Scheduler uses to start the state machine."
  type        = bool
  default     = false
}

variable "publication_table" {
  description = "Name of the ops table whose Location publish switches (the state machine may update only it)."
  type        = string
  default     = "published_partitions"
}

variable "run_lock_table" {
  description = "Name of the DynamoDB run-lock table the state machine acquires and releases."
  type        = string
}

variable "start_on_landing" {
  description = "Create the role EventBridge uses to start the state machine on a landing marker."
  type        = bool
  default     = false
}

variable "landing_key_patterns" {
  description = "Wildcards of the keys that complete a date's landing (markers and expected files; contracts module output landing_key_patterns): the state machine may list only those."
  type        = list(string)
  default     = []
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the pipeline's metrics (lakehouse/contracts/_metrics.json): the Glue jobs may put metrics in it and in \"Glue\", the state machine in it only."
  type        = string

  validation {
    # PutMetricData refuses namespaces starting with "AWS/" (reserved for AWS services).
    condition     = length(var.metrics_namespace) > 0 && !startswith(var.metrics_namespace, "AWS/") && var.metrics_namespace != "Glue"
    error_message = "metrics_namespace must be the pipeline's own namespace: not empty, not AWS/..., not Glue."
  }
}
