output "state_machine_arn" {
  description = "ARN of the daily-pipeline state machine (the Airflow DAG starts it)."
  value       = module.orchestration.state_machine_arn
}

output "state_machine_name" {
  description = "Name of the daily-pipeline state machine."
  value       = module.orchestration.state_machine_name
}

output "state_machine_definition_variables" {
  description = "Placeholders the state machine definition is rendered with (templatefile variables)."
  value       = sort(keys(local.state_machine_definition_vars))
}

output "bucket_names" {
  description = "Bucket name per role: raw, curated, analytics, artifacts, logs."
  value       = module.storage.bucket_names
}

output "dataset_roots" {
  description = "Dataset roots as the jobs get them (--<root>): s3://<bucket>/<prefix>."
  value       = local.root_urls
}

output "kms_key_arn" {
  description = "ARN of the customer-managed key encrypting the platform's data."
  value       = module.storage.kms_key_arn
}

output "athena_workgroup" {
  description = "Athena workgroup for checks and analyst queries."
  value       = module.athena.workgroup_name
}

output "alerts_topic_arn" {
  description = "SNS topic receiving pipeline alerts."
  value       = module.alerts.topic_arn
}

output "glue_job_names" {
  description = "Glue job name per entry script (glue_jobs/<stem>.py)."
  value       = module.glue_jobs.job_names
}

output "glue_library_s3_uri" {
  description = "S3 location of the library zip the jobs load (--extra-py-files)."
  value       = module.glue_jobs.library_s3_uri
}

output "database_names" {
  description = "Glue database name per layer (bronze, silver, gold, quarantine, ops)."
  value       = module.catalog.database_names
}

output "pii_key_secret_id" {
  description = "Secrets Manager secret id of the PII hashing key (--pii_key_secret_id)."
  value       = module.secrets.secret_id
}

output "role_arns" {
  description = "IAM role ARN per actor: glue_jobs, state_machine, airflow, analyst, lakeformation (and scheduler, landing_events when enabled)."
  value = merge(
    {
      glue_jobs     = module.iam.glue_role_arn
      state_machine = module.iam.state_machine_role_arn
      airflow       = module.iam.airflow_role_arn
      analyst       = module.iam.analyst_role_arn
      lakeformation = module.iam.lakeformation_role_arn
    },
    var.schedule.enabled ? { scheduler = module.iam.scheduler_role_arn } : {},
    var.start_on_landing ? { landing_events = module.iam.events_role_arn } : {},
  )
}

output "run_lock_table" {
  description = "DynamoDB table of the run lock (one run at a time; docs/adr/0007)."
  value       = module.orchestration.run_lock_table_name
}

output "metrics_namespace" {
  description = "CloudWatch namespace of the pipeline's metrics (lakehouse/contracts/_metrics.json)."
  value       = module.contracts.metrics_namespace
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the pipeline (<project>-<env>-pipeline)."
  value       = module.monitoring.dashboard_name
}

output "pipeline_alarm_names" {
  description = "Alarms on the pipeline's metrics: quarantine_rate per source entity, no_run."
  value       = module.monitoring.alarm_names
}
