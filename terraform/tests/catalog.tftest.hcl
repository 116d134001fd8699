# Partition projection: tables the jobs write in place are readable by Athena without
# any partition registration; gold has none (its partitions appear only on publish).

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:role/deployer" }
  }
  mock_data "aws_iam_session_context" {
    defaults = { issuer_arn = "arn:aws:iam::123456789012:role/deployer" }
  }
}

run "projection" {
  command = plan

  module {
    source = "./modules/catalog"
  }

  variables {
    database_prefix = "lakehouse_dev"
    layers          = ["bronze", "silver", "gold", "ops"]
    tables = {
      "bronze.orders" = {
        layer   = "bronze", name = "orders", location = "s3://lakehouse-dev-raw/bronze/orders/", kind = "table", projected = true
        columns = [{ name = "order_id", type = "string" }], partition_keys = [{ name = "ingest_date", type = "string" }]
      }
      "silver.fx_rates" = {
        layer   = "silver", name = "fx_rates", location = "s3://lakehouse-dev-curated/silver/fx_rates/", kind = "table", projected = true
        columns = [{ name = "currency", type = "string" }], partition_keys = [{ name = "rate_month", type = "string" }]
      }
      "ops.staged_daily_sales" = {
        layer          = "ops", name = "staged_daily_sales", location = "s3://lakehouse-dev-analytics/gold_staging/daily_sales/", kind = "table", projected = false
        columns        = [{ name = "count_orders", type = "bigint" }]
        partition_keys = [{ name = "run_id", type = "string" }, { name = "order_date", type = "string" }]
      }
      "ops.job_metrics" = {
        layer          = "ops", name = "job_metrics", location = "s3://lakehouse-dev-analytics/ops/job_metrics/", kind = "table", projected = true
        columns        = [{ name = "value", type = "bigint" }]
        partition_keys = [{ name = "run_date", type = "string" }, { name = "job", type = "string" }]
      }
      "gold.daily_sales" = {
        layer    = "gold", name = "daily_sales", location = "s3://lakehouse-dev-analytics/gold_staging/daily_sales/", kind = "view", projected = false
        view_sql = "select s.count_orders, s.order_date from lakehouse_dev_ops.staged_daily_sales as s join lakehouse_dev_ops.published_partitions as p on p.table_name = 'daily_sales' and p.run_id = s.run_id and p.partition_value = s.order_date"
        columns  = [{ name = "count_orders", type = "bigint" }, { name = "order_date", type = "string" }], partition_keys = []
      }
    }
  }

  assert {
    condition     = aws_glue_catalog_table.this["bronze.orders"].parameters["projection.enabled"] == "true" && aws_glue_catalog_table.this["bronze.orders"].parameters["projection.ingest_date.type"] == "date"
    error_message = "bronze tables must use date projection on ingest_date"
  }
  assert {
    condition     = aws_glue_catalog_table.this["bronze.orders"].parameters["storage.location.template"] == "s3://lakehouse-dev-raw/bronze/orders/ingest_date=$${ingest_date}"
    error_message = "projection must read the Hive-style folders the jobs write"
  }
  assert {
    condition     = aws_glue_catalog_table.this["silver.fx_rates"].parameters["projection.rate_month.format"] == "yyyy-MM"
    error_message = "rate_month partitions are months"
  }
  assert {
    condition     = !contains(keys(aws_glue_catalog_table.this["ops.staged_daily_sales"].parameters), "projection.enabled")
    error_message = "staged gold has registered partitions, no projection: the gold views join it on run_id (injected projection needs a literal), and a staged folder must never become visible by existing"
  }
  assert {
    condition     = aws_glue_catalog_table.this["ops.job_metrics"].parameters["projection.job.values"] == "bronze__orders,silver__orders,gold__all"
    error_message = "job_metrics job values come from the source tables"
  }
  assert {
    condition     = aws_glue_catalog_table.view["gold.daily_sales"].table_type == "VIRTUAL_VIEW" && startswith(aws_glue_catalog_table.view["gold.daily_sales"].view_original_text, "/* Presto View: ")
    error_message = "gold tables are Athena views (VIRTUAL_VIEW with the Presto View text)"
  }
  assert {
    condition     = jsondecode(base64decode(trimsuffix(trimprefix(aws_glue_catalog_table.view["gold.daily_sales"].view_original_text, "/* Presto View: "), " */"))).columns == [{ name = "count_orders", type = "bigint" }, { name = "order_date", type = "varchar" }]
    error_message = "the view's column types are Trino types (string -> varchar)"
  }
}
