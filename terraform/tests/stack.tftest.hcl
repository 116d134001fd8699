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
    condition     = output.bucket_names == { for role in ["raw", "curated", "analytics", "artifacts", "logs"] : role => "${var.project}-${var.env}-${role}" }
    error_message = "One bucket per role, named <project>-<env>-<role>."
  }

  assert {
    condition     = output.dataset_roots.bronze_root == "s3://${var.project}-${var.env}-raw/bronze" && output.dataset_roots.athena_results_root == "s3://${var.project}-${var.env}-artifacts/athena-results"
    error_message = "Dataset roots are s3://<project>-<env>-<bucket>/<prefix> per _layers.json."
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
    condition     = !contains(keys(output.role_arns), "scheduler")
    error_message = "The EventBridge schedule (and its role) is off by default."
  }

  assert {
    condition     = startswith(output.glue_library_s3_uri, "s3://${var.project}-${var.env}-artifacts/glue/lib/") && endswith(output.glue_library_s3_uri, "/lakehouse.zip")
    error_message = "The library zip is uploaded to the artifacts bucket under its content hash."
  }
}
