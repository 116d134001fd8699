# The whole stack, applied against a mocked provider with the environment's
# tfvars (`terraform test -var-file=envs/dev.tfvars`). Module-level security
# properties are asserted in the other files; these assert the wiring.
# tests/infra reads this run's state (terraform test -json -verbose) for the
# contract tests, so keep its name.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
      arn        = "arn:aws:iam::123456789012:user/deployer"
    }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_session_context" {
    defaults = { issuer_arn = "arn:aws:iam::123456789012:user/deployer" }
  }
  # The account's Lake Formation settings as an administrator left them (the deployer
  # is one, as terraform/README.md's first deploy requires); the stack only reads them.
  mock_data "aws_lakeformation_data_lake_settings" {
    defaults = { admins = ["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:user/deployer"] }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:mock-alerts" }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:lakehouse-dev-daily-pipeline" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/lakehouse-dev-daily-pipeline" }
  }
  # Real ARN shapes, so the IAM linter (tests/infra/test_iam_evaluation.py) reads the
  # rendered policies as AWS would.
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:lakehouse-dev-pii-hashing-key-AbCdEf" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock-bucket" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
}

# Distinct role ARNs, so grants and trust can be told apart in the state.
override_resource {
  target = module.iam.aws_iam_role.glue
  values = { arn = "arn:aws:iam::123456789012:role/lakehouse-dev-glue-jobs" }
}

override_resource {
  target = module.iam.aws_iam_role.state_machine
  values = { arn = "arn:aws:iam::123456789012:role/lakehouse-dev-state-machine" }
}

override_resource {
  target = module.iam.aws_iam_role.airflow
  values = { arn = "arn:aws:iam::123456789012:role/lakehouse-dev-airflow" }
}

override_resource {
  target = module.iam.aws_iam_role.analyst
  values = { arn = "arn:aws:iam::123456789012:role/lakehouse-dev-analyst" }
}

override_resource {
  target = module.iam.aws_iam_role.lakeformation
  values = { arn = "arn:aws:iam::123456789012:role/lakehouse-dev-lakeformation" }
}

run "stack" {
  assert {
    condition     = output.database_names == { for layer in ["bronze", "silver", "gold", "quarantine", "ops"] : layer => "${var.project}_${var.env}_${layer}" }
    error_message = "One Glue database per layer, named <project>_<env>_<layer>."
  }

  assert {
    condition     = output.bucket_names == { for role in ["raw", "curated", "analytics", "artifacts", "logs"] : role => "${var.project}-${var.env}-${role}-123456789012-eu-west-1" }
    error_message = "One bucket per role, named <project>-<env>-<role>-<account>-<region> (bucket names are global)."
  }

  assert {
    condition     = alltrue([for name in values(output.bucket_names) : length(name) <= 63])
    error_message = "Bucket names fit S3's 63 characters."
  }

  assert {
    condition     = output.dataset_roots.bronze_root == "s3://${var.project}-${var.env}-raw-123456789012-eu-west-1/bronze" && output.dataset_roots.athena_results_root == "s3://${var.project}-${var.env}-artifacts-123456789012-eu-west-1/athena-results"
    error_message = "Dataset roots are s3://<bucket>/<prefix> per _layers.json."
  }

  assert {
    condition     = module.governance.lf_tag_keys == { layer = "${var.project}_${var.env}_layer", pii = "${var.project}_${var.env}_pii" }
    error_message = "Each environment has its own LF-tag keys (LF-tags are account-wide)."
  }

  assert {
    condition     = toset(output.state_machine_definition_variables) == toset(flatten(regexall("\\$\\{([A-Za-z0-9_]+)\\}", file("../step_functions/daily_pipeline.asl.json"))))
    error_message = "The templatefile() variables must be exactly the ASL placeholders."
  }

  assert {
    condition     = toset(keys(output.glue_job_names)) == toset([for f in fileset("../glue_jobs", "*.py") : trimsuffix(f, ".py") if !startswith(f, "_")])
    error_message = "One Glue job per glue_jobs/*.py entry script."
  }

  assert {
    condition = (
      replace("select * from gold.daily_sales", local.layer_reference, local.layer_database) == "select * from ${var.project}_${var.env}_gold.daily_sales" &&
      replace("bronze.orders b join silver.orders s", local.layer_reference, local.layer_database) == "${var.project}_${var.env}_bronze.orders b join ${var.project}_${var.env}_silver.orders s" &&
      replace("from\n  quarantine.customers,ops.runs", local.layer_reference, local.layer_database) == "from\n  ${var.project}_${var.env}_quarantine.customers,${var.project}_${var.env}_ops.runs" &&
      replace("select s.gold_total, xgold.a, gold_staging.b", local.layer_reference, local.layer_database) == "select s.gold_total, xgold.a, gold_staging.b"
    )
    error_message = "SQL names layers logically (gold.x); deployed SQL uses <project>_<env>_<layer> (same cases as tests/infra)."
  }

  assert {
    condition     = output.metrics_namespace == jsondecode(file("../lakehouse/contracts/_metrics.json")).namespace && output.dashboard_name == "${var.project}-${var.env}-pipeline"
    error_message = "The metrics namespace comes from _metrics.json; the dashboard is <project>-<env>-pipeline."
  }

  assert {
    condition     = toset(keys(output.pipeline_alarm_names.quarantine_rate)) == toset(module.contracts.source_entities) && length(module.contracts.source_entities) > 0
    error_message = "One quarantine-rate alarm per source entity."
  }

  assert {
    condition     = !contains(keys(output.role_arns), "scheduler")
    error_message = "The EventBridge schedule (and its role) is off by default."
  }

  assert {
    condition     = startswith(output.glue_library_s3_uri, "s3://${output.bucket_names.artifacts}/glue/lib/") && endswith(output.glue_library_s3_uri, "/lakehouse.zip")
    error_message = "The library zip is uploaded to the artifacts bucket under its content hash."
  }
}

# The longest names every validation admits still make valid buckets.
run "longest_names_fit" {
  command = plan

  variables {
    project    = "abcdefghijklmnop"
    env        = "abcdefgh"
    aws_region = "ap-southeast-2"
  }

  override_data {
    target = data.aws_region.current
    values = { name = "ap-southeast-2" }
  }

  assert {
    condition     = alltrue([for name in values(output.bucket_names) : length(name) <= 63])
    error_message = "The longest project (16), env (8), role and region give names of at most 63 characters."
  }
}

run "existing_bucket_names_are_kept" {
  command = plan

  variables {
    bucket_names = { raw = "lakehouse-dev-raw", logs = "lakehouse-dev-logs" }
  }

  assert {
    condition     = output.bucket_names.raw == "lakehouse-dev-raw" && output.bucket_names.logs == "lakehouse-dev-logs" && output.bucket_names.curated == "${var.project}-${var.env}-curated-123456789012-eu-west-1"
    error_message = "bucket_names keeps the names of an existing deployment; other roles follow the rule."
  }
}

run "project_too_long_is_refused" {
  command = plan

  variables {
    project = "abcdefghijklmnopq"
  }

  expect_failures = [var.project]
}
