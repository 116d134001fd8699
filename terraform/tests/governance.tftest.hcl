# Lake Formation governance never changes the account's settings; it needs the deployer
# to be a data lake administrator and says so at plan time, not halfway into an apply.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012", arn = "arn:aws:sts::123456789012:assumed-role/deployer/ci" }
  }
  mock_data "aws_iam_session_context" {
    defaults = { issuer_arn = "arn:aws:iam::123456789012:role/deployer" }
  }
  mock_data "aws_lakeformation_data_lake_settings" {
    defaults = { admins = ["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:role/deployer"] }
  }
}

variables {
  lf_tag_key_prefix     = "lakehouse_dev_"
  database_names        = { gold = "lakehouse_dev_gold", ops = "lakehouse_dev_ops" }
  registration_role_arn = "arn:aws:iam::123456789012:role/lakehouse-dev-lakeformation-eu-west-1"
  tables = {
    "gold.daily_sales" = { layer = "gold", database = "lakehouse_dev_gold", name = "daily_sales", has_pii = false }
  }
  registered_locations = { gold_staging_root = "arn:aws:s3:::lakehouse-dev-analytics-123456789012-eu-west-1/gold_staging" }
  grants = {
    analyst = {
      principal_arn = "arn:aws:iam::123456789012:role/lakehouse-dev-analyst-eu-west-1"
      layers        = { gold = { database = ["DESCRIBE"], tables = ["DESCRIBE", "SELECT"] } }
    }
  }
}

run "deployer_is_an_administrator" {
  command = plan

  module {
    source = "./modules/governance"
  }

  assert {
    condition     = aws_lakeformation_lf_tag.layer.key == "lakehouse_dev_layer" && aws_lakeformation_lf_tag.pii.key == "lakehouse_dev_pii"
    error_message = "LF-tag keys carry the environment's prefix."
  }
}

run "deployer_not_an_administrator_stops_the_plan" {
  command = plan

  module {
    source = "./modules/governance"
  }

  override_data {
    target = data.aws_lakeformation_data_lake_settings.current
    values = { admins = ["arn:aws:iam::123456789012:role/platform-admin"] }
  }

  expect_failures = [aws_lakeformation_lf_tag.layer]
}
