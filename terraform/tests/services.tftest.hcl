# Encryption, logging and limits of the Glue jobs, state machine, alerts, Athena
# workgroup and secret.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:lakehouse-dev-daily-pipeline" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/lakehouse-dev-daily-pipeline" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:lakehouse-dev-alerts" }
  }
}

variables {
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "glue_jobs" {
  module {
    source = "./modules/glue_jobs"
  }

  variables {
    name_prefix = "lakehouse-dev"
    jobs = {
      bronze_ingest = { name = "lakehouse-dev-bronze-ingest", script_path = "../glue_jobs/bronze_ingest.py", max_concurrent_runs = 3 }
      gold_build    = { name = "lakehouse-dev-gold-build", script_path = "../glue_jobs/gold_build.py", max_concurrent_runs = 1 }
    }
    library_zip_path  = ".build/lakehouse.zip"
    artifacts_bucket  = "lakehouse-dev-artifacts"
    role_arn          = "arn:aws:iam::123456789012:role/lakehouse-dev-glue-jobs"
    default_arguments = { "--bronze_root" = "s3://lakehouse-dev-raw/bronze" }
    workers           = { worker_type = "G.1X", number_of_workers = 2, timeout_minutes = 30 }
  }

  assert {
    condition = alltrue([
      for job in values(aws_glue_job.this) :
      job.glue_version == "5.1" && job.execution_class == "STANDARD" && job.security_configuration == aws_glue_security_configuration.this.name
    ])
    error_message = "Jobs run Glue 5.1 with an explicit execution class and the security configuration."
  }

  assert {
    condition = alltrue([
      for job in values(aws_glue_job.this) :
      job.default_arguments["--enable-metrics"] == "true" && job.default_arguments["--enable-continuous-cloudwatch-log"] == "true" && job.default_arguments["--enable-auto-scaling"] == "true" && startswith(job.default_arguments["--extra-py-files"], "s3://lakehouse-dev-artifacts/") && job.default_arguments["--bronze_root"] == "s3://lakehouse-dev-raw/bronze"
    ])
    error_message = "Jobs get metrics, continuous logging, auto-scaling, the library and the dataset roots."
  }

  assert {
    condition     = alltrue([for job in values(aws_glue_job.this) : !contains(keys(job.default_arguments), "--enable-glue-datacatalog")])
    error_message = "Jobs do not open the Glue catalog as Spark's metastore (they read and write by path; it would look up database `default`, which the role is not granted)."
  }

  assert {
    condition     = aws_glue_job.this["bronze_ingest"].execution_property[0].max_concurrent_runs == 3 && aws_glue_job.this["gold_build"].execution_property[0].max_concurrent_runs == 1
    error_message = "Concurrency comes from the jobs map."
  }

  assert {
    condition = (
      aws_glue_security_configuration.this.encryption_configuration[0].s3_encryption[0].s3_encryption_mode == "SSE-KMS" &&
      aws_glue_security_configuration.this.encryption_configuration[0].s3_encryption[0].kms_key_arn == var.kms_key_arn &&
      aws_glue_security_configuration.this.encryption_configuration[0].cloudwatch_encryption[0].cloudwatch_encryption_mode == "SSE-KMS" &&
      aws_glue_security_configuration.this.encryption_configuration[0].job_bookmarks_encryption[0].job_bookmarks_encryption_mode == "CSE-KMS"
    )
    error_message = "The security configuration encrypts S3 output, CloudWatch logs and bookmarks with the key."
  }

  assert {
    condition     = aws_s3_object.script["bronze_ingest"].source_hash == filemd5("../glue_jobs/bronze_ingest.py") && aws_s3_object.library.source_hash == filemd5(".build/lakehouse.zip")
    error_message = "Uploads track the content hash of scripts and library, so changes redeploy."
  }
}

run "orchestration" {
  module {
    source = "./modules/orchestration"
  }

  variables {
    name               = "lakehouse-dev-daily-pipeline"
    run_lock_table     = "lakehouse-dev-run-lock"
    definition         = "{\"StartAt\": \"Done\", \"States\": {\"Done\": {\"Type\": \"Succeed\"}}}"
    role_arn           = "arn:aws:iam::123456789012:role/lakehouse-dev-state-machine"
    schedule           = { enabled = true }
    scheduler_role_arn = "arn:aws:iam::123456789012:role/lakehouse-dev-scheduler"
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn && aws_cloudwatch_log_group.this.retention_in_days == 365
    error_message = "Execution logs are encrypted with the key and retained."
  }

  assert {
    condition     = aws_sfn_state_machine.this.tracing_configuration[0].enabled && aws_sfn_state_machine.this.logging_configuration[0].level == "ALL"
    error_message = "X-Ray tracing and execution logging are on."
  }

  assert {
    condition     = aws_dynamodb_table.run_lock.hash_key == "lock_id" && aws_dynamodb_table.run_lock.billing_mode == "PAY_PER_REQUEST" && aws_dynamodb_table.run_lock.point_in_time_recovery[0].enabled
    error_message = "The run lock is an on-demand table keyed by lock_id, with point-in-time recovery."
  }

  assert {
    condition     = aws_scheduler_schedule.this[0].kms_key_arn == var.kms_key_arn && aws_scheduler_schedule.this[0].target[0].role_arn == var.scheduler_role_arn
    error_message = "The schedule is encrypted and starts executions with its own role."
  }
}

run "alerts" {
  module {
    source = "./modules/alerts"
  }

  variables {
    name_prefix       = "lakehouse-dev"
    state_machine_arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:lakehouse-dev-daily-pipeline"
    glue_job_names    = ["lakehouse-dev-bronze-ingest"]
    subscriptions     = [{ protocol = "email", endpoint = "oncall@example.com" }]
  }

  assert {
    condition     = aws_sns_topic.this.kms_master_key_id == var.kms_key_arn
    error_message = "The alerts topic is encrypted with the key."
  }

  assert {
    condition     = toset(jsondecode(aws_cloudwatch_event_rule.execution_failed.event_pattern).detail.status) == toset(["FAILED", "TIMED_OUT", "ABORTED"]) && jsondecode(aws_cloudwatch_event_rule.execution_failed.event_pattern).detail.stateMachineArn == [var.state_machine_arn]
    error_message = "Failed, timed-out and aborted executions of this state machine go to the topic."
  }

  assert {
    condition     = aws_cloudwatch_event_target.execution_failed.arn == aws_sns_topic.this.arn && aws_cloudwatch_event_target.glue_job_failed.arn == aws_sns_topic.this.arn
    error_message = "Both failure rules target the alerts topic."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.executions_failed.alarm_actions == toset([aws_sns_topic.this.arn]) && aws_cloudwatch_metric_alarm.glue_jobs_failed.alarm_actions == toset([aws_sns_topic.this.arn])
    error_message = "Both alarms notify the alerts topic."
  }

  assert {
    condition     = length(aws_sns_topic_subscription.this) == 1
    error_message = "Subscriptions come from the variable."
  }
}

run "athena" {
  module {
    source = "./modules/athena"
  }

  variables {
    name             = "lakehouse-dev"
    results_location = "s3://lakehouse-dev-artifacts/athena-results/"
  }

  assert {
    condition = (
      aws_athena_workgroup.this.configuration[0].enforce_workgroup_configuration &&
      aws_athena_workgroup.this.configuration[0].result_configuration[0].encryption_configuration[0].encryption_option == "SSE_KMS" &&
      aws_athena_workgroup.this.configuration[0].result_configuration[0].encryption_configuration[0].kms_key_arn == var.kms_key_arn &&
      aws_athena_workgroup.this.configuration[0].bytes_scanned_cutoff_per_query == 10737418240
    )
    error_message = "The workgroup enforces encrypted results and a per-query scan cutoff."
  }
}

run "secrets" {
  module {
    source = "./modules/secrets"
  }

  variables {
    name_prefix = "lakehouse-dev"
  }

  assert {
    condition     = aws_secretsmanager_secret.pii_key.kms_key_id == var.kms_key_arn && aws_secretsmanager_secret.pii_key.recovery_window_in_days == 30
    error_message = "The PII key is encrypted with the key and recoverable after deletion."
  }
}
