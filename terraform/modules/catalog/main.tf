# Lake Formation data-lake settings, Glue databases per layer and one partitioned
# Parquet table per contract-derived definition. Jobs add partitions; the gate
# publishes gold partitions.

data "aws_caller_identity" "current" {}

# The deployer's role ARN when it runs under an assumed role (not its STS session ARN).
data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

locals {
  database_names = { for layer in var.layers : layer => "${var.database_prefix}_${layer}" }
}

# No create_*_default_permissions: new databases and tables get no IAM-only
# (IAM_ALLOWED_PRINCIPALS) grant, so Lake Formation grants govern access.
resource "aws_lakeformation_data_lake_settings" "this" {
  count = var.manage_data_lake_settings ? 1 : 0

  admins = distinct(concat([data.aws_iam_session_context.current.issuer_arn], var.lakeformation_admin_arns))
}

resource "aws_glue_catalog_database" "this" {
  for_each = local.database_names

  name        = each.value
  description = "${each.key} layer of ${var.database_prefix}"

  # Created after the settings, so they do not get the IAM-only default grant.
  depends_on = [aws_lakeformation_data_lake_settings.this]
}

resource "aws_glue_catalog_table" "this" {
  for_each = var.tables

  database_name = aws_glue_catalog_database.this[each.value.layer].name
  name          = each.value.name
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    EXTERNAL              = "TRUE"
    classification        = "parquet"
    "parquet.compression" = "SNAPPY"
  }

  storage_descriptor {
    location      = each.value.location
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
      parameters = {
        "serialization.format" = "1"
      }
    }

    dynamic "columns" {
      for_each = each.value.columns
      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }

  dynamic "partition_keys" {
    for_each = each.value.partition_keys
    content {
      name = partition_keys.value.name
      type = partition_keys.value.type
    }
  }
}
