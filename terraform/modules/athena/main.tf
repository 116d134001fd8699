# The workgroup every query of the platform runs in: settings enforced (clients
# cannot override the encrypted result location), a per-query scan cutoff, and
# the saved analytics queries.

resource "aws_athena_workgroup" "this" {
  name          = var.name
  description   = "Checks of the daily pipeline and analyst queries"
  force_destroy = true # it only holds the saved queries below and query history

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.bytes_scanned_cutoff_per_query

    engine_version {
      selected_engine_version = "Athena engine version 3"
    }

    result_configuration {
      output_location = var.results_location

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }
}

resource "aws_athena_named_query" "this" {
  for_each = var.named_queries

  name      = each.key
  workgroup = aws_athena_workgroup.this.id
  database  = each.value.database
  query     = each.value.query
}
