# Least privilege: one role per actor, no wildcard actions, no "*" resources for
# data services, landing files read-only.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  name_prefix  = "lakehouse-dev"
  kms_key_arn  = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  bucket_names = { raw = "lakehouse-dev-raw", curated = "lakehouse-dev-curated", analytics = "lakehouse-dev-analytics", artifacts = "lakehouse-dev-artifacts", logs = "lakehouse-dev-logs" }
  roots = {
    raw_root            = { bucket = "raw", prefix = "raw" }
    bronze_root         = { bucket = "raw", prefix = "bronze" }
    silver_root         = { bucket = "curated", prefix = "silver" }
    quarantine_root     = { bucket = "curated", prefix = "quarantine" }
    gold_staging_root   = { bucket = "analytics", prefix = "gold_staging" }
    ops_root            = { bucket = "analytics", prefix = "ops" }
    athena_results_root = { bucket = "artifacts", prefix = "athena-results" }
  }
  lake_root_keys         = ["bronze_root", "gold_staging_root", "ops_root", "quarantine_root", "silver_root"]
  glue_job_names         = ["lakehouse-dev-bronze-ingest", "lakehouse-dev-silver-merge", "lakehouse-dev-gold-build", "lakehouse-dev-maintenance"]
  airflow_glue_job_names = ["lakehouse-dev-maintenance"]
  state_machine_name     = "lakehouse-dev-daily-pipeline"
  athena_workgroup_name  = "lakehouse-dev"
  alerts_topic_arn       = "arn:aws:sns:eu-west-1:123456789012:lakehouse-dev-alerts"
  pii_secret_arn         = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:lakehouse-dev-pii-hashing-key-AbCdEf"
  database_names         = { bronze = "lakehouse_dev_bronze", silver = "lakehouse_dev_silver", gold = "lakehouse_dev_gold", quarantine = "lakehouse_dev_quarantine", ops = "lakehouse_dev_ops" }
  scheduler_enabled      = true
  run_lock_table         = "lakehouse-dev-run-lock"
  metrics_namespace      = "Lakehouse"
}

run "roles" {
  module {
    source = "./modules/iam"
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.state_machine.policy).Statement : s if s.Sid == "HoldRunLock"
    ]).Resource == "arn:aws:dynamodb:eu-west-1:123456789012:table/lakehouse-dev-run-lock"
    error_message = "The state machine writes only its own run-lock table."
  }

  assert {
    condition = alltrue(flatten([
      for p in concat([aws_iam_role_policy.glue, aws_iam_role_policy.state_machine, aws_iam_role_policy.airflow, aws_iam_role_policy.analyst, aws_iam_role_policy.lakeformation], aws_iam_role_policy.scheduler) : [
        for s in jsondecode(p.policy).Statement : [for a in flatten([s.Action]) : !strcontains(a, "*")]
      ]
    ]))
    error_message = "No IAM action is a wildcard (no \"*\", \"s3:*\", \"kms:*\", \"glue:Get*\", ...)."
  }

  assert {
    # Resource "*" only for actions that have no resource type.
    condition = alltrue(flatten([
      for p in concat([aws_iam_role_policy.glue, aws_iam_role_policy.state_machine, aws_iam_role_policy.airflow, aws_iam_role_policy.analyst, aws_iam_role_policy.lakeformation], aws_iam_role_policy.scheduler) : [
        for s in jsondecode(p.policy).Statement : [
          for a in flatten([s.Action]) : contains(["lakeformation:GetDataAccess", "cloudwatch:PutMetricData", "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"], a)
        ] if contains(flatten([s.Resource]), "*")
      ]
    ]))
    error_message = "Data, key, catalog, job, topic and secret actions name their resources (no Resource \"*\")."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.glue.policy).Statement :
      !contains(flatten([s.Resource]), "arn:aws:s3:::lakehouse-dev-raw/raw/*") || toset(flatten([s.Action])) == toset(["s3:GetObject"])
    ])
    error_message = "Glue jobs only read the landing files (raw/); nobody writes or deletes them."
  }

  assert {
    condition     = toset(flatten([for s in jsondecode(aws_iam_role_policy.airflow.policy).Statement : s.Action])) == toset(["states:StartExecution", "states:DescribeExecution", "states:StopExecution", "sns:Publish", "kms:Decrypt", "kms:GenerateDataKey", "glue:GetJob", "glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"])
    error_message = "Airflow may only start, describe and stop executions, publish its failure alerts, and run the maintenance job."
  }

  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.airflow.policy).Statement : s.Resource])) == toset([
      "arn:aws:states:eu-west-1:123456789012:stateMachine:lakehouse-dev-daily-pipeline",
      "arn:aws:states:eu-west-1:123456789012:execution:lakehouse-dev-daily-pipeline:*",
      var.alerts_topic_arn,
      var.kms_key_arn,
      "arn:aws:glue:eu-west-1:123456789012:job/lakehouse-dev-maintenance",
    ])
    error_message = "Airflow's permissions cover only this state machine, its executions, the alerts topic (and its key) and the maintenance job."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.state_machine.policy).Statement : s.Resource if contains(flatten([s.Action]), "glue:StartJobRun")
    ])) == toset([for name in var.glue_job_names : "arn:aws:glue:eu-west-1:123456789012:job/${name}" if !contains(var.airflow_glue_job_names, name)])
    error_message = "The state machine may start only the platform's pipeline Glue jobs (not Airflow's maintenance job)."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.state_machine.policy).Statement :
      alltrue([for r in flatten([s.Resource]) : r == "arn:aws:s3:::lakehouse-dev-analytics/ops/*"]) if contains(flatten([s.Action]), "s3:PutObject") && s.Sid == "WriteRunRecords"
    ])
    error_message = "The state machine writes run records only under the ops prefix."
  }

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.analyst.policy).Statement : [
        for r in flatten([s.Resource]) : !strcontains(r, "_bronze") && !strcontains(r, "_silver") && !strcontains(r, "_quarantine") && !strcontains(r, "/bronze/") && !strcontains(r, "/silver/") && !strcontains(r, "/quarantine/")
      ]
    ]))
    error_message = "Analysts reach gold and ops only: no bronze, silver or quarantine data or tables."
  }

  assert {
    condition     = length(aws_iam_role.scheduler) == 1 && strcontains(aws_iam_role.scheduler[0].assume_role_policy, "scheduler.amazonaws.com")
    error_message = "The schedule gets its own role, assumable only by EventBridge Scheduler."
  }

  assert {
    condition = alltrue([
      for role in [aws_iam_role.glue, aws_iam_role.state_machine, aws_iam_role.lakeformation, aws_iam_role.airflow, aws_iam_role.analyst] : endswith(role.name, "-eu-west-1")
    ])
    error_message = "IAM role names are account-wide: they carry the region, so an environment can be deployed to two regions of one account."
  }

  assert {
    condition = (
      try(jsondecode(aws_iam_role.glue.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"], "") == "123456789012" &&
      try(jsondecode(aws_iam_role.state_machine.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"], "") == "123456789012" &&
      try(jsondecode(aws_iam_role.lakeformation.assume_role_policy).Statement[0].Condition, null) == null
    )
    error_message = "Glue and Step Functions trust only this account (aws:SourceAccount); the Lake Formation registration role has no condition (its guide's trust policy has none)."
  }

  assert {
    condition = alltrue([
      for action in ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution", "athena:GetWorkGroup", "athena:GetDataCatalog", "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload", "states:StartExecution"] :
      contains(flatten([for s in jsondecode(aws_iam_role_policy.state_machine.policy).Statement : s.Action]), action)
    ])
    error_message = "The state machine role has every action the Step Functions guide lists for athena:startQueryExecution.sync and getQueryResults, and may start its own executions (scheduled starts)."
  }

  assert {
    condition = alltrue([
      for r in ["arn:aws:glue:eu-west-1:123456789012:database/lakehouse_dev_ops", "arn:aws:glue:eu-west-1:123456789012:table/lakehouse_dev_ops/*", "arn:aws:s3:::lakehouse-dev-analytics/ops/*"] :
      contains(flatten([for s in jsondecode(aws_iam_role_policy.analyst.policy).Statement : s.Resource]), r)
    ])
    error_message = "The analyst role reads ops (run manifests, job metrics), which the shipped queries data_quality_trend and run_lineage read."
  }

  assert {
    condition = alltrue(flatten([
      for p in concat([aws_iam_role_policy.glue, aws_iam_role_policy.state_machine, aws_iam_role_policy.airflow, aws_iam_role_policy.analyst, aws_iam_role_policy.lakeformation], aws_iam_role_policy.scheduler) : [
        for s in jsondecode(p.policy).Statement : try(s.Condition.StringEquals["cloudwatch:namespace"], null) != null if contains(flatten([s.Action]), "cloudwatch:PutMetricData")
      ]
    ]))
    error_message = "cloudwatch:PutMetricData is always limited by a cloudwatch:namespace condition."
  }

  assert {
    condition = (
      toset(flatten([for s in jsondecode(aws_iam_role_policy.glue.policy).Statement : s.Condition.StringEquals["cloudwatch:namespace"] if contains(flatten([s.Action]), "cloudwatch:PutMetricData")])) == toset(["Glue", "Lakehouse"]) &&
      toset(flatten([for s in jsondecode(aws_iam_role_policy.state_machine.policy).Statement : s.Condition.StringEquals["cloudwatch:namespace"] if contains(flatten([s.Action]), "cloudwatch:PutMetricData")])) == toset(["Lakehouse"]) &&
      alltrue([for p in [aws_iam_role_policy.airflow, aws_iam_role_policy.analyst, aws_iam_role_policy.lakeformation] : !contains(flatten([for s in jsondecode(p.policy).Statement : s.Action]), "cloudwatch:PutMetricData")])
    )
    error_message = "Glue jobs put metrics in Glue and the pipeline namespace, the state machine in the pipeline namespace only, nobody else anywhere."
  }
}

# The maintenance job (docs/adr/0014) is Airflow's to run, not the state machine's.
run "maintenance_job" {
  command = plan

  module {
    source = "./modules/iam"
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.airflow.policy).Statement : s if s.Sid == "RunMaintenanceJob"
    ]).Resource == ["arn:aws:glue:eu-west-1:123456789012:job/lakehouse-dev-maintenance"]
    error_message = "Airflow runs the maintenance job and no other Glue job."
  }

  assert {
    condition = !contains(flatten([
      for s in jsondecode(aws_iam_role_policy.state_machine.policy).Statement : s.Resource
    ]), "arn:aws:glue:eu-west-1:123456789012:job/lakehouse-dev-maintenance")
    error_message = "The state machine may not run the maintenance job."
  }
}
