# Reads the dataset contracts and derives what the deployment needs from them:
# dataset roots, bucket roles, source entities, the Glue catalog tables and the
# pipeline's CloudWatch metrics (_metrics.json).
# The table derivation mirrors lakehouse/contracts/catalog.py (table_definitions());
# a contract test compares the two, so a column added to a contract changes both.

locals {
  layers = jsondecode(file("${var.contracts_dir}/_layers.json"))

  # The pipeline's CloudWatch metrics, defined once (namespace, dimensions, job and
  # gate metrics): the IAM condition on cloudwatch:namespace, the dashboard and the
  # alarms read them from here, so no metric name is typed in the HCL.
  metrics = jsondecode(file("${var.contracts_dir}/_metrics.json"))

  # "description" keys document the JSON; they are not roots.
  roots = {
    for key, root in local.layers.roots : key => { bucket = root.bucket, prefix = root.prefix }
    if key != "description"
  }

  # Files starting with "_" hold conventions, not datasets.
  contract_files = [for f in fileset(var.contracts_dir, "*.json") : f if !startswith(f, "_")]
  contracts      = { for f in local.contract_files : trimsuffix(f, ".json") => jsondecode(file("${var.contracts_dir}/${f}")) }
  sources        = { for name, c in local.contracts : name => c if c.kind == "source" }
  gold           = { for name, c in local.contracts : name => c if c.kind == "gold" }

  # The objects that complete a date's landing (lakehouse.layout.landing_objects()).
  landing_objects = flatten([
    for name in sort(keys(local.sources)) : [
      for file in try(local.sources[name].landing.expected_files, [local.layers.landing.marker]) : {
        entity = name
        prefix = "${local.roots.raw_root.prefix}/${local.sources[name].source}/${name}"
        head   = split("{ingest_date}", file)[0]
        dated  = length(split("{ingest_date}", file)) > 1 ? 1 : 0
        tail   = length(split("{ingest_date}", file)) > 1 ? split("{ingest_date}", file)[1] : ""
      }
    ]
  ])

  # Mirrors catalog.LAYER_DATABASES (checked by a contract test).
  layer_databases = ["bronze", "silver", "gold", "quarantine", "ops"]

  bronze_lineage_columns  = [for m in local.layers.bronze.lineage_columns : { name = m.name, type = m.type }]
  silver_meta_columns     = [for m in local.layers.silver.meta_columns : { name = m.name, type = m.type }]
  quarantine_columns      = [for m in local.layers.quarantine.columns : { name = m.name, type = m.type }]
  bronze_partition_keys   = [{ name = local.layers.bronze.partition.column, type = local.layers.bronze.partition.type }]
  quarantine_partitioning = [{ name = local.layers.quarantine.partition.column, type = local.layers.quarantine.partition.type }]

  # Contract columns carry optional keys (pii, cdc); try() reads them as null when absent.
  source_pii = {
    for name, c in local.sources : name => { for col in c.columns : col.name => try(col.pii, null) if try(col.pii, null) != null }
  }
  source_op_column = { for name, c in local.sources : name => try(c.cdc.op_column, null) }

  bronze_tables = {
    for name, c in local.sources : "bronze.${name}" => {
      layer          = "bronze"
      name           = name
      dataset        = name
      root_key       = "bronze_root"
      has_pii        = length(local.source_pii[name]) > 0
      columns        = concat([for col in c.columns : { name = col.name, type = local.layers.bronze.source_columns_type }], local.bronze_lineage_columns)
      partition_keys = local.bronze_partition_keys
    }
  }

  # Silver drops the CDC op column and renames PII columns (tokenised / masked).
  silver_tables = {
    for name, c in local.sources : "silver.${name}" => {
      layer    = "silver"
      name     = name
      dataset  = name
      root_key = "silver_root"
      has_pii  = false
      columns = concat([
        for col in c.columns : {
          name = contains(keys(local.source_pii[name]), col.name) ? "${col.name}${local.layers.silver.pii_suffix[local.source_pii[name][col.name]]}" : col.name
          type = col.type
        } if col.name != local.source_op_column[name]
      ], local.silver_meta_columns)
      partition_keys = [{ name = c.silver_partition.column, type = "string" }]
    }
  }

  quarantine_tables = {
    for name, c in local.sources : "quarantine.${name}" => {
      layer          = "quarantine"
      name           = name
      dataset        = name
      root_key       = "quarantine_root"
      has_pii        = false # raw_record is written with PII masked
      columns        = local.quarantine_columns
      partition_keys = local.quarantine_partitioning
    }
  }

  # Readers' gold tables are Athena views of the staged partitions the current
  # publication names (docs/adr/0007). Mirrors gold_view_sql() in
  # lakehouse/contracts/catalog.py (logical database names; the root maps them).
  gold_tables = {
    for name, c in local.gold : "gold.${name}" => {
      layer          = "gold"
      name           = name
      dataset        = name
      root_key       = "gold_staging_root"
      has_pii        = false
      kind           = "view"
      projected      = false
      columns        = concat([for col in c.columns : { name = col.name, type = col.type }], [{ name = c.partition.column, type = "string" }])
      partition_keys = []
      view_sql = join("", [
        "select ${join(", ", [for col in c.columns : "s.${col.name}"])}, s.${c.partition.column} ",
        "from ops.staged_${name} as s ",
        "join ops.${local.publication_table} as p ",
        "on p.table_name = '${name}' and p.run_id = s.run_id ",
        "and p.partition_value = s.${c.partition.column}",
      ])
    }
  }

  publication_table = "published_partitions"

  # ops: what the validation gate and the gold views read besides the layers. Each
  # gold table's staged partitions, keyed by run id, at the gold dataset's folder
  # (registered by the state machine after staging: no projection), and the
  # publication pointer whose Location publish switches.
  staged_tables = {
    for name, c in local.gold : "ops.staged_${name}" => {
      layer          = "ops"
      name           = "staged_${name}"
      dataset        = name
      root_key       = "gold_staging_root"
      has_pii        = false
      kind           = "table"
      projected      = false
      view_sql       = null
      columns        = [for col in c.columns : { name = col.name, type = col.type }]
      partition_keys = [{ name = "run_id", type = "string" }, { name = c.partition.column, type = "string" }]
    }
  }

  publication_tables = {
    "ops.${local.publication_table}" = {
      layer          = "ops"
      name           = local.publication_table
      dataset        = "publications/none"
      root_key       = "ops_root"
      has_pii        = false
      kind           = "pointer"
      projected      = false
      view_sql       = null
      columns        = [for n in ["table_name", "partition_value", "run_id"] : { name = n, type = "string" }]
      partition_keys = []
    }
  }

  # The jobs' counts (long format). Mirrors JOB_METRICS_* in lakehouse/metrics.py,
  # which no JSON contract holds yet; the contract test compares the two.
  job_metrics_tables = {
    "ops.job_metrics" = {
      layer     = "ops"
      name      = "job_metrics"
      dataset   = "job_metrics"
      root_key  = "ops_root"
      has_pii   = false
      kind      = "table"
      projected = true
      view_sql  = null
      columns = [
        { name = "layer", type = "string" },
        { name = "entity", type = "string" },
        { name = "run_id", type = "string" },
        { name = "metric", type = "string" },
        { name = "detail", type = "string" },
        { name = "value", type = "bigint" },
      ]
      partition_keys = [{ name = "run_date", type = "string" }, { name = "job", type = "string" }]
    }
  }
}
