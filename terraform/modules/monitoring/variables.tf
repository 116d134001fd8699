variable "name_prefix" {
  description = "Physical name prefix, <project>-<env>; the dashboard is <name_prefix>-pipeline, alarms <name_prefix>-<what>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*-[a-z][a-z0-9]*$", var.name_prefix))
    error_message = "name_prefix must look like <project>-<env> (lowercase letters and digits)."
  }
}

variable "environment" {
  description = "Value of the Environment dimension the jobs and the state machine send (the root module's env; the jobs get it as --environment)."
  type        = string
}

variable "namespace" {
  description = "CloudWatch namespace of the pipeline's metrics (contracts module: metrics_namespace)."
  type        = string
}

variable "job_dimensions" {
  description = "Dimension names of the job metrics in the contracts' order: environment, layer, entity (contracts module: metric_dimensions.job)."
  type        = list(string)

  validation {
    condition     = length(var.job_dimensions) == 3
    error_message = "job_dimensions are three names: environment, layer and entity, in that order (_metrics.json job_dimensions)."
  }
}

variable "gate_dimensions" {
  description = "Dimension names of the gate metrics: environment (contracts module: metric_dimensions.gate)."
  type        = list(string)

  validation {
    condition     = length(var.gate_dimensions) == 1
    error_message = "gate_dimensions is one name: the environment (_metrics.json gate_dimensions)."
  }
}

variable "job_metrics" {
  description = "The job metrics (contracts module: job_metrics): name, unit, layer (\"*\" = every layer), count, per (extra dimension or null)."
  type = list(object({
    name  = string
    unit  = string
    layer = string
    count = string
    per   = optional(string)
  }))
}

variable "gate_metric_names" {
  description = "Names of the metrics the state machine sends after the gate (contracts module: gate_metric_names)."
  type        = list(string)
}

variable "source_entities" {
  description = "Source entities (Entity dimension of the bronze and silver metrics; one quarantine-rate alarm each)."
  type        = list(string)
}

variable "gold_tables" {
  description = "Gold tables (Entity dimension of the per-table gold metrics)."
  type        = list(string)
}

variable "state_machine_arn" {
  description = "The daily pipeline (AWS/States ExecutionTime, dimension StateMachineArn)."
  type        = string
}

variable "quarantine_rate_threshold" {
  description = "Share of an entity's rows quarantined in a day above which its alarm fires: the quarantine_rate check's threshold (sql/checks/checks.json), a fraction."
  type        = number

  validation {
    condition     = var.quarantine_rate_threshold != null && var.quarantine_rate_threshold >= 0 && var.quarantine_rate_threshold < 1
    error_message = "quarantine_rate_threshold is a fraction in [0, 1) (sql/checks/checks.json quarantine_rate.threshold)."
  }
}

variable "alarm_topic_arn" {
  description = "SNS topic the alarms notify (the alerts topic)."
  type        = string
}
