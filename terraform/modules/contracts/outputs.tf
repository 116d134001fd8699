output "roots" {
  description = "Dataset roots from _layers.json: key (e.g. bronze_root) => { bucket = bucket role, prefix }."
  value       = local.roots
}

output "bucket_roles" {
  description = "Bucket roles from _layers.json (raw, curated, analytics, artifacts, logs)."
  value       = local.layers.bucket_roles
}

output "bucket_naming" {
  description = "The bucket naming rule from _layers.json: pattern ({project}-{env}-{role}-{account_id}-{region}) and max_length."
  value       = { pattern = local.layers.bucket_naming.pattern, max_length = local.layers.bucket_naming.max_length }
}

output "layer_databases" {
  description = "Logical layer names that get one Glue database each."
  value       = local.layer_databases
}

output "source_entities" {
  description = "Names of the source datasets (contracts of kind \"source\")."
  value       = sort(keys(local.sources))
}

output "tables" {
  description = "Glue tables and views derived from the contracts, keyed \"<layer>.<name>\": layer, name, dataset (folder under the root), root_key, has_pii, kind (table, view, pointer), projected (partition projection), view_sql (Trino, logical database names), columns and partition_keys as lists of { name, type }."
  value = {
    for key, t in merge(local.bronze_tables, local.silver_tables, local.quarantine_tables, local.gold_tables, local.staged_tables, local.job_metrics_tables, local.publication_tables) :
    key => merge({ kind = "table", projected = true, view_sql = null }, t)
  }
}

output "publication_table" {
  description = "Name of the ops table whose Location publish switches (docs/adr/0007)."
  value       = local.publication_table
}

output "landing_marker" {
  description = "Name of the object a producer writes in a day's landing prefix to mark that entity's day complete (_layers.json landing.marker; docs/adr/0012)."
  value       = local.layers.landing.marker
}

output "landing_prefixes" {
  description = "Every source entity's landing key prefix in the raw bucket, sorted by entity: [{ entity, prefix = <raw prefix>/<source>/<entity> }]. Mirrors lakehouse.layout.landing_prefixes()."
  value = [
    for name in sort(keys(local.sources)) : {
      entity = name
      prefix = "${local.roots.raw_root.prefix}/${local.sources[name].source}/${name}"
    }
  ]
}
