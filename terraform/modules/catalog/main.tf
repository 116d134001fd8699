# Glue databases per layer and one partitioned Parquet table per contract-derived
# definition. The account's Lake Formation settings are not managed here (they are
# account-wide: see terraform/account/). Tables the jobs write in place
# (bronze, silver, quarantine, ops) find their partitions by Athena partition
# projection; gold partitions exist only once the state machine publishes them.

locals {
  database_names = { for layer in var.layers : layer => "${var.database_prefix}_${layer}" }

  # Partition projection per partition key. A key with no rule here fails the plan,
  # so a new partition column cannot silently leave a table unreadable.
  daily_keys  = ["ingest_date", "order_date", "signup_date", "run_date", "snapshot_date"]
  source_jobs = flatten([for t in values(var.tables) : ["bronze__${t.name}", "silver__${t.name}"] if t.layer == "bronze"])
  projection_rules = merge(
    { for k in local.daily_keys : k => {
      "projection.${k}.type"          = "date"
      "projection.${k}.format"        = "yyyy-MM-dd"
      "projection.${k}.range"         = "${var.projection_start_date},NOW"
      "projection.${k}.interval"      = "1"
      "projection.${k}.interval.unit" = "DAYS"
    } },
    {
      rate_month = {
        "projection.rate_month.type"          = "date"
        "projection.rate_month.format"        = "yyyy-MM"
        "projection.rate_month.range"         = "${substr(var.projection_start_date, 0, 7)},NOW"
        "projection.rate_month.interval"      = "1"
        "projection.rate_month.interval.unit" = "MONTHS"
      }
      job = {
        "projection.job.type"   = "enum"
        "projection.job.values" = join(",", concat(sort(local.source_jobs), ["gold__all"]))
      }
    },
  )
  data_tables  = { for key, t in var.tables : key => t if t.kind == "table" }
  views        = { for key, t in var.tables : key => t if t.kind == "view" }
  pointers     = { for key, t in var.tables : key => t if t.kind == "pointer" }
  presto_types = { string = "varchar", timestamp = "timestamp(3)" }
  view_specs = {
    for key, t in local.views : key => base64encode(jsonencode({
      originalSql  = t.view_sql
      catalog      = "awsdatacatalog"
      schema       = local.database_names[t.layer]
      columns      = [for c in t.columns : { name = c.name, type = lookup(local.presto_types, c.type, c.type) }]
      owner        = "lakehouse"
      runAsInvoker = false
    }))
  }

  table_projection = {
    for key, t in local.data_tables : key => !t.projected ? {} : merge(
      {
        "projection.enabled"        = "true"
        "storage.location.template" = "${trimsuffix(t.location, "/")}/${join("/", [for p in t.partition_keys : "${p.name}=$${${p.name}}"])}"
      },
      [for p in t.partition_keys : local.projection_rules[p.name]]...
    )
  }
}

resource "aws_glue_catalog_database" "this" {
  for_each = local.database_names

  name        = each.value
  description = "${each.key} layer of ${var.database_prefix}"
}

resource "aws_glue_catalog_table" "this" {
  for_each = local.data_tables

  database_name = aws_glue_catalog_database.this[each.value.layer].name
  name          = each.value.name
  table_type    = "EXTERNAL_TABLE"

  parameters = merge({
    EXTERNAL              = "TRUE"
    classification        = "parquet"
    "parquet.compression" = "SNAPPY"
  }, local.table_projection[each.key])

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

# Athena views as Athena stores them: VIRTUAL_VIEW, the Trino SQL base64-encoded in a
# "/* Presto View: ... */" text with the column types (lakehouse/contracts/catalog.py
# view_input builds the same for the local catalog).
# https://docs.aws.amazon.com/athena/latest/ug/views.html
resource "aws_glue_catalog_table" "view" {
  for_each = local.views

  database_name = aws_glue_catalog_database.this[each.value.layer].name
  name          = each.value.name
  table_type    = "VIRTUAL_VIEW"
  parameters    = { presto_view = "true", comment = "Presto View" }

  view_original_text = "/* Presto View: ${local.view_specs[each.key]} */"
  view_expanded_text = "/* Presto View */"

  storage_descriptor {
    dynamic "columns" {
      for_each = each.value.columns
      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }
}

# The publication pointer: publish (the state machine's glue:UpdateTable) moves its
# Location to the run's publication snapshot; Terraform creates it pointing at an empty
# folder and never moves it back.
resource "aws_glue_catalog_table" "pointer" {
  for_each = local.pointers

  database_name = aws_glue_catalog_database.this[each.value.layer].name
  name          = each.value.name
  table_type    = "EXTERNAL_TABLE"
  parameters    = { EXTERNAL = "TRUE", classification = "parquet" }

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

  lifecycle {
    ignore_changes = [storage_descriptor[0].location]
  }
}
