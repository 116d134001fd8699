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

output "landing_objects" {
  description = "Every object whose presence completes a date's landing, entity by entity (sorted): the marker, or the files a source contract lists in landing.expected_files, each split at its {ingest_date} into head and tail (dated = 1 when it has one). [{ entity, prefix, head, dated, tail }]. Mirrors lakehouse.layout.landing_objects() (docs/adr/0012)."
  value       = local.landing_objects
}

output "landing_key_patterns" {
  description = "One EventBridge/IAM wildcard per landing object: <prefix>/ingest_date=*/<head>[*]<tail>."
  value = [
    for o in local.landing_objects : "${o.prefix}/ingest_date=*/${o.head}${o.dated == 1 ? "*" : ""}${o.tail}"
  ]
}

output "gold_tables" {
  description = "Names of the gold datasets (contracts of kind \"gold\"), sorted."
  value       = sort(keys(local.gold))
}

output "metrics_namespace" {
  description = "CloudWatch namespace of the pipeline's metrics (_metrics.json namespace); the jobs' and the state machine's cloudwatch:PutMetricData is limited to it."
  value       = local.metrics.namespace
}

output "metric_dimensions" {
  description = "Dimension names of the pipeline's metrics, in the order _metrics.json gives them: job = [Environment, Layer, Entity] (what the Glue jobs send), gate = [Environment] (what the state machine sends)."
  value       = { job = local.metrics.job_dimensions, gate = local.metrics.gate_dimensions }
}

output "job_metric_names" {
  description = "Names of the metrics the Glue jobs send (_metrics.json job_metrics), in file order."
  value       = [for m in local.metrics.job_metrics : m.name]
}

output "gate_metric_names" {
  description = "Names of the metrics the state machine sends after the validation gate (_metrics.json gate_metrics), in file order."
  value       = [for m in local.metrics.gate_metrics : m.name]
}

output "job_metrics" {
  description = "The job metrics in _metrics.json order: name, unit, layer (the Layer dimension's value; \"*\" = every layer), count (the job's count it carries) and per (an extra dimension with one datum per value, e.g. Reason; \"Entity\" = one datum per gold table; null = one datum per job run)."
  value = [
    for m in local.metrics.job_metrics : {
      name  = m.name
      unit  = m.unit
      layer = m.layer
      count = m.count
      per   = try(m.per, null)
    }
  ]
}
