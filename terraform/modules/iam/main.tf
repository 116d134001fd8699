# One role per actor, each allowed only what that actor does. Policies are
# jsonencode()d (not aws_iam_policy_document data sources) so `terraform test`
# with a mocked provider evaluates them and asserts on their content.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  arn_base   = "arn:${local.partition}"

  bucket_arns  = { for role, name in var.bucket_names : role => "${local.arn_base}:s3:::${name}" }
  root_objects = { for key, r in var.roots : key => "${local.arn_base}:s3:::${var.bucket_names[r.bucket]}/${r.prefix}/*" }

  # Roots the Glue jobs write; raw_root (the landing files) is read-only for everyone.
  lake_roots  = var.lake_root_keys
  glue_prefix = "${local.arn_base}:s3:::${var.bucket_names["artifacts"]}/${var.glue_artifacts_prefix}"

  glue_catalog_arn = "${local.arn_base}:glue:${local.region}:${local.account_id}:catalog"
  database_arns    = { for layer, db in var.database_names : layer => "${local.arn_base}:glue:${local.region}:${local.account_id}:database/${db}" }
  table_arns       = { for layer, db in var.database_names : layer => "${local.arn_base}:glue:${local.region}:${local.account_id}:table/${db}/*" }
  all_catalog_arns = concat([local.glue_catalog_arn], values(local.database_arns), values(local.table_arns))

  glue_job_arns     = [for name in var.glue_job_names : "${local.arn_base}:glue:${local.region}:${local.account_id}:job/${name}" if !contains(var.airflow_glue_job_names, name)]
  airflow_job_arns  = [for name in var.airflow_glue_job_names : "${local.arn_base}:glue:${local.region}:${local.account_id}:job/${name}"]
  workgroup_arn     = "${local.arn_base}:athena:${local.region}:${local.account_id}:workgroup/${var.athena_workgroup_name}"
  state_machine_arn = "${local.arn_base}:states:${local.region}:${local.account_id}:stateMachine:${var.state_machine_name}"
  executions_arn    = "${local.arn_base}:states:${local.region}:${local.account_id}:execution:${var.state_machine_name}:*"
  data_catalog_arn  = "${local.arn_base}:athena:${local.region}:${local.account_id}:datacatalog/AwsDataCatalog"
  run_lock_arn      = "${local.arn_base}:dynamodb:${local.region}:${local.account_id}:table/${var.run_lock_table}"
  results_bucket    = var.roots["athena_results_root"].bucket

  catalog_read_actions = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"]
  partition_write      = ["glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition", "glue:BatchUpdatePartition", "glue:DeletePartition", "glue:BatchDeletePartition"]
  data_key_actions     = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]

  # Which roots each actor may list (s3:ListBucket limited to those prefixes).
  listed_roots = {
    glue          = concat(["raw_root"], local.lake_roots)
    state_machine = concat(local.lake_roots, ["athena_results_root"])
    analyst       = ["gold_staging_root", "ops_root", "athena_results_root"]
    lakeformation = local.lake_roots
  }
  list_statements = {
    for actor, root_keys in local.listed_roots : actor => concat(
      [
        for bucket in distinct([for k in root_keys : var.roots[k].bucket]) : {
          Sid      = "List${title(bucket)}Prefixes"
          Effect   = "Allow"
          Action   = ["s3:ListBucket"]
          Resource = local.bucket_arns[bucket]
          Condition = {
            StringLike = { "s3:prefix" = flatten([for k in root_keys : [var.roots[k].prefix, "${var.roots[k].prefix}/*"] if var.roots[k].bucket == bucket]) }
          }
        }
      ],
      [{
        Sid      = "LocateBuckets"
        Effect   = "Allow"
        Action   = ["s3:GetBucketLocation"]
        Resource = distinct([for k in root_keys : local.bucket_arns[var.roots[k].bucket]])
      }],
    )
  }

  use_data_key = {
    Sid      = "UseDataKey"
    Effect   = "Allow"
    Action   = local.data_key_actions
    Resource = var.kms_key_arn
  }
  # Lake Formation vends S3 credentials for registered locations; the action has no resource type.
  lakeformation_data_access = {
    Sid      = "LakeFormationDataAccess"
    Effect   = "Allow"
    Action   = ["lakeformation:GetDataAccess"]
    Resource = "*"
  }
}

# ---------------------------------------------------------------- trust policies
# IAM role names are account-wide (not regional): the region in every role name keeps
# one environment deployable in two regions of an account.
locals {
  account_root = "${local.arn_base}:iam::${local.account_id}:root"

  # Confused-deputy protection where the service documents it: Glue, Step Functions
  # and EventBridge Scheduler send aws:SourceAccount when they assume a role
  # (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html and each
  # service's page). Lake Formation's registration-role trust policy has no condition
  # in its guide; a condition the service does not send would stop it from vending
  # credentials for the registered locations, so none is set.
  # https://docs.aws.amazon.com/lake-formation/latest/dg/registration-role.html
  service_trust = {
    for actor, service in {
      glue          = { principal = "glue.amazonaws.com", source_account = true }
      state_machine = { principal = "states.amazonaws.com", source_account = true }
      lakeformation = { principal = "lakeformation.amazonaws.com", source_account = false }
      scheduler     = { principal = "scheduler.amazonaws.com", source_account = true }
      # EventBridge's target roles are trusted without a condition in its guides
      # (https://docs.aws.amazon.com/batch/latest/userguide/CWE_IAM_role.html); as for
      # Lake Formation, a condition the service does not send would stop delivery.
      events = { principal = "events.amazonaws.com", source_account = false }
      } : actor => jsonencode({
        Version = "2012-10-17"
        Statement = [merge(
          {
            Effect    = "Allow"
            Principal = { Service = service.principal }
            Action    = "sts:AssumeRole"
          },
          service.source_account ? { Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } } } : {},
        )]
    })
  }

  principal_trust = {
    for actor, arns in { airflow = var.airflow_principal_arns, analyst = var.analyst_principal_arns } : actor => jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = { AWS = length(arns) > 0 ? arns : [local.account_root] }
        Action    = "sts:AssumeRole"
      }]
    })
  }
}

# ---------------------------------------------------------------- Glue jobs
resource "aws_iam_role" "glue" {
  name               = "${var.name_prefix}-glue-jobs-${local.region}"
  description        = "Glue jobs of ${var.name_prefix}: read landing files, read/write the lake prefixes."
  assume_role_policy = local.service_trust.glue
}

resource "aws_iam_role_policy" "glue" {
  name = "glue-jobs"
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.list_statements.glue, [
      {
        Sid      = "ReadLandingFiles"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = local.root_objects["raw_root"]
      },
      {
        Sid      = "ReadWriteLakePrefixes"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = [for key in local.lake_roots : local.root_objects[key]]
      },
      {
        Sid      = "ReadJobScriptsAndLibrary"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "${local.glue_prefix}/*"
      },
      {
        Sid      = "UseGlueTempDir"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = "${local.glue_prefix}/temp/*"
      },
      {
        Sid       = "ListGlueTempDir"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = local.bucket_arns["artifacts"]
        Condition = { StringLike = { "s3:prefix" = ["${var.glue_artifacts_prefix}/temp", "${var.glue_artifacts_prefix}/temp/*"] } }
      },
      local.use_data_key,
      {
        Sid      = "MaintainLayerTables"
        Effect   = "Allow"
        Action   = concat(local.catalog_read_actions, local.partition_write, ["glue:CreateTable", "glue:UpdateTable"])
        Resource = local.all_catalog_arns
      },
      # The maintenance job refuses to run while a daily run holds the lock (docs/adr/0014).
      {
        Sid      = "ReadRunLock"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem"]
        Resource = local.run_lock_arn
      },
      {
        Sid      = "ReadPiiHashingKey"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
        Resource = var.pii_secret_arn
      },
      {
        Sid    = "WriteJobLogs"
        Effect = "Allow"
        Action = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
        Resource = [
          "${local.arn_base}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/*",
          "${local.arn_base}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/*:log-stream:*",
        ]
      },
      {
        # Glue's own job metrics (--enable-metrics) go to "Glue"; the pipeline's row
        # counts and durations (lakehouse/contracts/_metrics.json) to the pipeline
        # namespace. PutMetricData has no resource type: the cloudwatch:namespace
        # condition key is how it is limited (a list in StringEquals: any of them).
        # https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
        Sid       = "PublishJobMetrics"
        Effect    = "Allow"
        Action    = ["cloudwatch:PutMetricData"]
        Resource  = "*"
        Condition = { StringEquals = { "cloudwatch:namespace" = ["Glue", var.metrics_namespace] } }
      },
      local.lakeformation_data_access,
    ])
  })
}

# ---------------------------------------------------------------- state machine
resource "aws_iam_role" "state_machine" {
  name               = "${var.name_prefix}-state-machine-${local.region}"
  description        = "Daily pipeline state machine of ${var.name_prefix}: runs its Glue jobs and Athena checks, publishes partitions and alerts."
  assume_role_policy = local.service_trust.state_machine
}

resource "aws_iam_role_policy" "state_machine" {
  name = "daily-pipeline"
  role = aws_iam_role.state_machine.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.list_statements.state_machine, var.start_on_landing ? [
      {
        # Is every landing object of a date there? (ListObjectsV2 with the object's key
        # as the prefix; docs/adr/0012). Only those keys may be listed.
        Sid      = "FindLandingMarkers"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = local.bucket_arns[var.roots["raw_root"].bucket]
        Condition = {
          StringLike = { "s3:prefix" = var.landing_key_patterns }
        }
      }
      ] : [], [
      {
        # A scheduled start hands over to the run of its date (states:startExecution
        # of this same state machine, without .sync).
        # https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html
        Sid      = "StartRunOfScheduledDate"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = local.state_machine_arn
      },
      {
        # The run lock (docs/adr/0007): acquire, read, release; a holder that ended
        # without releasing is recognised by DescribeExecution and its lock broken. The
        # same table records the landing markers' events (UpdateItem, docs/adr/0012).
        # https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
        Sid      = "HoldRunLock"
        Effect   = "Allow"
        Action   = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"]
        Resource = local.run_lock_arn
      },
      {
        Sid      = "DescribeRunLockHolder"
        Effect   = "Allow"
        Action   = ["states:DescribeExecution"]
        Resource = local.executions_arn
      },
      {
        Sid      = "RunPipelineGlueJobs"
        Effect   = "Allow"
        Action   = ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"]
        Resource = local.glue_job_arns
      },
      {
        # What the Step Functions guide lists for athena:startQueryExecution.sync and
        # getQueryResults, scoped to the workgroup and the Glue data catalog:
        # https://docs.aws.amazon.com/step-functions/latest/dg/athena-iam.html
        Sid      = "RunChecksInWorkgroup"
        Effect   = "Allow"
        Action   = ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution", "athena:GetWorkGroup", "athena:GetDataCatalog"]
        Resource = [local.workgroup_arn, local.data_catalog_arn]
      },
      {
        Sid      = "ReadCatalog"
        Effect   = "Allow"
        Action   = local.catalog_read_actions
        Resource = local.all_catalog_arns
      },
      {
        # Registering the run's staged partitions (ops.staged_<table>) before the gate.
        Sid      = "RegisterStagedPartitions"
        Effect   = "Allow"
        Action   = local.partition_write
        Resource = [local.glue_catalog_arn, local.database_arns["ops"], local.table_arns["ops"]]
      },
      {
        # Publish: one UpdateTable of the publication pointer (docs/adr/0007).
        Sid      = "SwitchPublication"
        Effect   = "Allow"
        Action   = ["glue:UpdateTable"]
        Resource = [local.glue_catalog_arn, local.database_arns["ops"], "${local.arn_base}:glue:${local.region}:${local.account_id}:table/${var.database_names["ops"]}/${var.publication_table}"]
      },
      {
        # Athena reads the data of the queries it runs with the caller's credentials.
        Sid      = "ReadLakeForChecks"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = [for key in local.lake_roots : local.root_objects[key]]
      },
      {
        Sid      = "WriteRunRecords"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = local.root_objects["ops_root"]
      },
      {
        Sid      = "WriteCheckResults"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = local.root_objects["athena_results_root"]
      },
      {
        # Athena lists in-progress multipart uploads of the results it writes (same page).
        Sid      = "ListCheckResultUploads"
        Effect   = "Allow"
        Action   = ["s3:ListBucketMultipartUploads"]
        Resource = local.bucket_arns[local.results_bucket]
      },
      local.use_data_key,
      {
        Sid      = "PublishAlerts"
        Effect   = "Allow"
        Action   = ["sns:Publish"]
        Resource = var.alerts_topic_arn
      },
      {
        # The gate's outcome (RunsValidated, RunsBlocked) through
        # aws-sdk:cloudwatch:putMetricData, in the pipeline namespace only.
        # https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
        Sid       = "PublishGateMetrics"
        Effect    = "Allow"
        Action    = ["cloudwatch:PutMetricData"]
        Resource  = "*"
        Condition = { StringEquals = { "cloudwatch:namespace" = var.metrics_namespace } }
      },
      local.lakeformation_data_access,
      {
        # Vended-log delivery and X-Ray have no resource-level permissions.
        Sid      = "DeliverExecutionLogsAndTraces"
        Effect   = "Allow"
        Action   = ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
        Resource = "*"
      },
    ])
  })
}

# ---------------------------------------------------------------- Airflow
resource "aws_iam_role" "airflow" {
  name               = "${var.name_prefix}-airflow-${local.region}"
  description        = "Airflow DAG of ${var.name_prefix}: starts, watches and stops executions of the daily pipeline."
  assume_role_policy = local.principal_trust.airflow
}

resource "aws_iam_role_policy" "airflow" {
  name = "run-daily-pipeline"
  role = aws_iam_role.airflow.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "StartExecutions"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = local.state_machine_arn
      },
      {
        Sid      = "WatchAndStopExecutions"
        Effect   = "Allow"
        Action   = ["states:DescribeExecution", "states:StopExecution"]
        Resource = local.executions_arn
      },
      # The DAG's failure callback and late-run deadline alert publish to the alerts
      # topic, which is encrypted with the customer key.
      {
        Sid      = "PublishRunAlerts"
        Effect   = "Allow"
        Action   = ["sns:Publish"]
        Resource = var.alerts_topic_arn
      },
      {
        Sid      = "EncryptAlerts"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = var.kms_key_arn
      },
      # The maintenance DAG's GlueJobOperator (GetJob, then StartJobRun; BatchStopJobRun on
      # kill) and GlueJobSensor (GetJobRun); docs/adr/0014.
      {
        Sid      = "RunMaintenanceJob"
        Effect   = "Allow"
        Action   = ["glue:GetJob", "glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"]
        Resource = local.airflow_job_arns
      },
    ]
  })
}

# ---------------------------------------------------------------- analysts
resource "aws_iam_role" "analyst" {
  name               = "${var.name_prefix}-analyst-${local.region}"
  description        = "Analysts of ${var.name_prefix}: query gold through the Athena workgroup."
  assume_role_policy = local.principal_trust.analyst
}

resource "aws_iam_role_policy" "analyst" {
  name = "query-gold"
  role = aws_iam_role.analyst.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.list_statements.analyst, [
      {
        Sid      = "QueryInWorkgroup"
        Effect   = "Allow"
        Action   = ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution", "athena:GetWorkGroup", "athena:ListQueryExecutions", "athena:BatchGetQueryExecution", "athena:ListNamedQueries", "athena:GetNamedQuery", "athena:BatchGetNamedQuery", "athena:GetDataCatalog"]
        Resource = [local.workgroup_arn, local.data_catalog_arn]
      },
      {
        # Gold for analysis; ops (run manifests, job metrics: counts, no row data) for
        # the shipped operator queries data_quality_trend and run_lineage.
        Sid      = "ReadGoldAndOpsCatalog"
        Effect   = "Allow"
        Action   = local.catalog_read_actions
        Resource = [local.glue_catalog_arn, local.database_arns["gold"], local.table_arns["gold"], local.database_arns["ops"], local.table_arns["ops"]]
      },
      {
        Sid      = "ReadGoldAndOpsData"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = [local.root_objects["gold_staging_root"], local.root_objects["ops_root"]]
      },
      {
        Sid      = "WriteQueryResults"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = local.root_objects["athena_results_root"]
      },
      {
        Sid      = "ListQueryResultUploads"
        Effect   = "Allow"
        Action   = ["s3:ListBucketMultipartUploads"]
        Resource = local.bucket_arns[local.results_bucket]
      },
      local.use_data_key,
      local.lakeformation_data_access,
    ])
  })
}

# ---------------------------------------------------------------- Lake Formation
# Lake Formation uses this role to vend credentials for the registered locations.
resource "aws_iam_role" "lakeformation" {
  name               = "${var.name_prefix}-lakeformation-${local.region}"
  description        = "Lake Formation data access for the registered lake locations of ${var.name_prefix}."
  assume_role_policy = local.service_trust.lakeformation
}

resource "aws_iam_role_policy" "lakeformation" {
  name = "registered-locations"
  role = aws_iam_role.lakeformation.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.list_statements.lakeformation, [
      {
        Sid      = "ReadWriteRegisteredLocations"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
        Resource = [for key in local.lake_roots : local.root_objects[key]]
      },
      local.use_data_key,
    ])
  })
}

# ---------------------------------------------------------------- scheduler (optional)
resource "aws_iam_role" "scheduler" {
  count = var.scheduler_enabled ? 1 : 0

  name               = "${var.name_prefix}-scheduler-${local.region}"
  description        = "EventBridge Scheduler of ${var.name_prefix}: starts the daily pipeline."
  assume_role_policy = local.service_trust.scheduler
}

resource "aws_iam_role_policy" "scheduler" {
  count = var.scheduler_enabled ? 1 : 0

  name = "start-daily-pipeline"
  role = aws_iam_role.scheduler[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "StartExecutions"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = local.state_machine_arn
      },
      {
        Sid      = "DecryptScheduleWithDataKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = var.kms_key_arn
      },
    ]
  })
}

# ------------------------------------------------------- landing markers (optional)
resource "aws_iam_role" "events" {
  count = var.start_on_landing ? 1 : 0

  name               = "${var.name_prefix}-landing-events-${local.region}"
  description        = "EventBridge rule of ${var.name_prefix}: starts the daily pipeline when a landing marker is written."
  assume_role_policy = local.service_trust.events
}

resource "aws_iam_role_policy" "events" {
  count = var.start_on_landing ? 1 : 0

  name = "start-daily-pipeline"
  role = aws_iam_role.events[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "StartExecutions"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = local.state_machine_arn
      },
    ]
  })
}
