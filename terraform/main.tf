# Root module: derives names and settings once and wires the modules through their
# outputs. Everything the stack deploys comes from the repository: contracts
# (lakehouse/contracts), entry scripts (glue_jobs/), the state machine definition
# (step_functions/) and SQL (sql/), so a change there changes the deployment.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  repo_root = "${path.module}/.."

  name_prefix = "${var.project}-${var.env}" # roles, jobs, topic, ... (unique per account and region)
  db_prefix   = "${var.project}_${var.env}" # Glue databases (no hyphens in SQL names)

  # Bucket names are global across every AWS account: one rule, shared with
  # lakehouse/layout.py (lakehouse/contracts/_layers.json bucket_naming), puts the
  # account id and region in them. var.bucket_names keeps names of an existing
  # deployment (renaming a bucket replaces it). https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
  bucket_naming = module.contracts.bucket_naming
  bucket_names = {
    for role in module.contracts.bucket_roles : role => lookup(var.bucket_names, role, replace(replace(replace(replace(replace(
      local.bucket_naming.pattern,
      "{project}", var.project), "{env}", var.env), "{role}", role),
      "{account_id}", data.aws_caller_identity.current.account_id), "{region}", data.aws_region.current.name)
    )
  }
  # LF-tags are account-wide: each environment gets its own keys unless told otherwise.
  lf_tag_key_prefix = var.lf_tag_key_prefix != null ? var.lf_tag_key_prefix : "${var.project}_${var.env}_"

  roots     = module.contracts.roots
  root_urls = { for key, r in local.roots : key => "s3://${module.storage.bucket_names[r.bucket]}/${r.prefix}" }

  # Every root but the landing files (immutable, read-only) and Athena results is lake data.
  lake_root_keys = sort([for key in keys(local.roots) : key if !contains(["raw_root", "athena_results_root"], key)])

  # Glue entry scripts: every glue_jobs/*.py except private helpers (_*.py).
  glue_job_stems = toset([for f in fileset("${local.repo_root}/glue_jobs", "*.py") : trimsuffix(f, ".py") if !startswith(f, "_")])

  # Concurrency: the state machine runs bronze_ingest and silver_merge once per
  # source entity, in parallel (a Map over the entities). Each run reads and writes
  # only its own entity's paths, so the runs cannot collide, and the job must admit
  # as many concurrent runs as there are source entities (3 today: customers,
  # orders, fx_rates - counted from the contracts). Every other job (gold_build
  # reads all of silver and rebuilds gold) runs once at a time.
  per_entity_jobs = ["bronze_ingest", "silver_merge"]
  glue_jobs = {
    for stem in local.glue_job_stems : stem => {
      name                = "${local.name_prefix}-${replace(stem, "_", "-")}"
      script_path         = "${local.repo_root}/glue_jobs/${stem}.py"
      max_concurrent_runs = contains(local.per_entity_jobs, stem) ? length(module.contracts.source_entities) : 1
    }
  }

  # SQL files name layer databases logically (bronze., silver., ...); deployed SQL
  # uses the physical <project>_<env>_<layer>. RE2 has no \b, so the character
  # before the name must be start-of-text or a non-identifier character.
  layer_reference = "/(^|[^A-Za-z0-9_])(${join("|", module.contracts.layer_databases)})\\./"
  layer_database  = "$${1}${local.db_prefix}_$${2}."

  checks_dir = "${local.repo_root}/sql/checks"
  # checks.json is optional: {"<check>": {"severity": ..., "threshold": ...}} (or a
  # list of {"name": "<check>", ...}). Unlisted checks are blocking, without threshold.
  # Queries are sent as Athena gets them from the local runtime too
  # (lakehouse/statemachine.py): trimmed, without trailing semicolons.
  checks_file   = try(jsondecode(file("${local.checks_dir}/checks.json")), {})
  checks_config = try({ for c in local.checks_file : c.name => c }, local.checks_file)
  checks = [
    for f in sort(fileset(local.checks_dir, "*.sql")) : {
      name      = trimsuffix(f, ".sql")
      severity  = try(local.checks_config[trimsuffix(f, ".sql")].severity, "blocking")
      threshold = try(local.checks_config[trimsuffix(f, ".sql")].threshold, null)
      query     = replace(replace(trimspace(file("${local.checks_dir}/${f}")), "/;+$/", ""), local.layer_reference, local.layer_database)
    }
  ]

  analytics_dir = "${local.repo_root}/sql/analytics"
  named_queries = {
    for f in fileset(local.analytics_dir, "*.sql") : trimsuffix(f, ".sql") => {
      query    = replace(file("${local.analytics_dir}/${f}"), local.layer_reference, local.layer_database)
      database = module.catalog.database_names["gold"]
    }
  }

  state_machine_name     = "${local.name_prefix}-daily-pipeline"
  run_lock_table         = "${local.name_prefix}-run-lock"
  state_machine_template = "${local.repo_root}/step_functions/daily_pipeline.asl.json"
}

# The state machine definition's placeholders, all in one place: a new placeholder
# in the ASL is one new line here (a contract test checks the two sets are equal).
locals {
  state_machine_definition_vars = {
    bronze_job_name   = module.glue_jobs.job_names["bronze_ingest"]
    silver_job_name   = module.glue_jobs.job_names["silver_merge"]
    gold_job_name     = module.glue_jobs.job_names["gold_build"]
    athena_workgroup  = module.athena.workgroup_name
    publication_table = module.contracts.publication_table
    run_lock_table    = local.run_lock_table
    ops_database      = module.catalog.database_names["ops"]
    ops_bucket        = module.storage.bucket_names[local.roots.ops_root.bucket]
    ops_prefix        = local.roots.ops_root.prefix
    alerts_topic_arn  = module.alerts.topic_arn
    checks_json       = jsonencode(local.checks)
    entities_json     = jsonencode(module.contracts.source_entities) # sorted; the Map runs them in parallel
    raw_bucket        = module.storage.bucket_names[local.roots.raw_root.bucket]
    landing_marker    = module.contracts.landing_marker
    landing_json      = var.start_on_landing ? jsonencode(module.contracts.landing_objects) : "[]" # [] = no landing awaited
    metrics_namespace = module.contracts.metrics_namespace                                         # the gate's PutMetricData (_metrics.json)
    environment       = var.env                                                                    # Environment dimension of the gate metrics
  }
}

module "contracts" {
  source = "./modules/contracts"

  contracts_dir = "${local.repo_root}/lakehouse/contracts"
}

module "storage" {
  source = "./modules/storage"

  name_prefix                        = local.name_prefix
  bucket_names                       = local.bucket_names
  max_bucket_name_length             = local.bucket_naming.max_length
  deny_statements                    = var.bucket_deny_statements
  force_destroy                      = var.force_destroy_buckets
  kms_deletion_window_days           = var.kms_deletion_window_days
  noncurrent_version_expiration_days = var.lifecycle_days.noncurrent_versions
  abort_incomplete_upload_days       = var.lifecycle_days.incomplete_uploads
  eventbridge_bucket_roles           = var.start_on_landing ? [local.roots.raw_root.bucket] : []

  transition_rules = {
    archive-landing-files = {
      bucket_role            = local.roots.raw_root.bucket
      prefix                 = "${local.roots.raw_root.prefix}/"
      standard_ia_after_days = var.lifecycle_days.landing_to_standard_ia
      archive_after_days     = var.lifecycle_days.landing_to_archive
    }
  }

  expiration_rules = {
    expire-athena-results = {
      bucket_role = local.roots.athena_results_root.bucket
      prefix      = "${local.roots.athena_results_root.prefix}/"
      days        = var.lifecycle_days.athena_results
    }
    expire-glue-temp = {
      bucket_role = "artifacts"
      prefix      = "glue/temp/"
      days        = var.lifecycle_days.glue_temp
    }
    expire-access-logs = {
      bucket_role = "logs"
      prefix      = ""
      days        = var.lifecycle_days.access_logs
    }
  }
}

module "secrets" {
  source = "./modules/secrets"

  name_prefix          = local.name_prefix
  kms_key_arn          = module.storage.kms_key_arn
  recovery_window_days = var.secret_recovery_window_days
}

module "iam" {
  source = "./modules/iam"

  name_prefix            = local.name_prefix
  kms_key_arn            = module.storage.kms_key_arn
  bucket_names           = module.storage.bucket_names
  roots                  = local.roots
  lake_root_keys         = local.lake_root_keys
  glue_artifacts_prefix  = "glue"
  glue_job_names         = [for job in values(local.glue_jobs) : job.name]
  airflow_glue_job_names = [for stem, job in local.glue_jobs : job.name if stem == "maintenance"]
  state_machine_name     = local.state_machine_name
  athena_workgroup_name  = local.name_prefix
  alerts_topic_arn       = module.alerts.topic_arn
  pii_secret_arn         = module.secrets.secret_arn
  database_names         = { for layer in module.contracts.layer_databases : layer => "${local.db_prefix}_${layer}" }
  airflow_principal_arns = var.airflow_principal_arns
  analyst_principal_arns = var.analyst_principal_arns
  scheduler_enabled      = var.schedule.enabled
  start_on_landing       = var.start_on_landing
  landing_key_patterns   = module.contracts.landing_key_patterns
  publication_table      = module.contracts.publication_table
  run_lock_table         = local.run_lock_table
  metrics_namespace      = module.contracts.metrics_namespace
}

module "catalog" {
  source = "./modules/catalog"

  database_prefix = local.db_prefix
  layers          = module.contracts.layer_databases

  tables = {
    for key, t in module.contracts.tables : key => {
      layer          = t.layer
      name           = t.name
      kind           = t.kind
      projected      = t.projected
      view_sql       = t.view_sql == null ? null : replace(t.view_sql, local.layer_reference, local.layer_database)
      columns        = t.columns
      partition_keys = t.partition_keys
      location       = "${local.root_urls[t.root_key]}/${t.dataset}/"
    }
  }
}

module "governance" {
  source = "./modules/governance"

  lf_tag_key_prefix     = local.lf_tag_key_prefix
  database_names        = module.catalog.database_names
  registration_role_arn = module.iam.lakeformation_role_arn

  tables = {
    for key, t in module.contracts.tables : key => {
      layer    = t.layer
      database = module.catalog.tables[key].database
      name     = module.catalog.tables[key].name
      has_pii  = t.has_pii
    }
  }

  registered_locations = {
    for key in local.lake_root_keys : key => "arn:${data.aws_partition.current.partition}:s3:::${module.storage.bucket_names[local.roots[key].bucket]}/${local.roots[key].prefix}"
  }

  # Tags and grants address the catalog's databases and tables.
  depends_on = [module.catalog]

  grants = {
    glue_jobs = {
      principal_arn  = module.iam.glue_role_arn
      data_locations = true # jobs create tables / partitions on the registered locations
      layers = {
        for layer in module.contracts.layer_databases : layer => {
          database = ["ALTER", "CREATE_TABLE", "DESCRIBE"]
          tables   = ["ALTER", "DELETE", "DESCRIBE", "INSERT", "SELECT"]
        }
      }
    }
    state_machine = {
      principal_arn = module.iam.state_machine_role_arn
      # Publishing creates/updates gold partitions whose locations are in registered
      # locations: Lake Formation requires DATA_LOCATION_ACCESS for catalog resources
      # that point into a registered location.
      # https://docs.aws.amazon.com/lake-formation/latest/dg/granting-location-permissions.html
      data_locations = true
      layers = {
        for layer in module.contracts.layer_databases : layer => {
          database = ["DESCRIBE"]
          # checks read every layer; publishing alters gold partitions, run records go to ops
          tables = contains(["gold", "ops"], layer) ? ["ALTER", "DESCRIBE", "INSERT", "SELECT"] : ["DESCRIBE", "SELECT"]
        }
      }
    }
    analyst = {
      principal_arn = module.iam.analyst_role_arn
      # gold for analysis; ops for the shipped operator queries (sql/analytics).
      layers = {
        for layer in ["gold", "ops"] : layer => { database = ["DESCRIBE"], tables = ["DESCRIBE", "SELECT"] }
      }
    }
  }
}

module "glue_jobs" {
  source = "./modules/glue_jobs"

  name_prefix      = local.name_prefix
  jobs             = local.glue_jobs
  library_zip_path = "${path.module}/.build/lakehouse.zip"
  artifacts_bucket = module.storage.bucket_names["artifacts"]
  artifacts_prefix = "glue"
  role_arn         = module.iam.glue_role_arn
  kms_key_arn      = module.storage.kms_key_arn
  workers          = var.glue_workers

  # Jobs get every dataset root as --<root> = s3://<bucket>/<prefix>, the secret id
  # and the environment (the Environment dimension of the metrics they send).
  default_arguments = merge(
    { for key, url in local.root_urls : "--${key}" => url },
    { "--pii_key_secret_id" = module.secrets.secret_id },
    { "--environment" = var.env },
  )
}

module "athena" {
  source = "./modules/athena"

  name                           = local.name_prefix
  results_location               = "${local.root_urls.athena_results_root}/"
  kms_key_arn                    = module.storage.kms_key_arn
  bytes_scanned_cutoff_per_query = var.athena_bytes_scanned_cutoff
  named_queries                  = local.named_queries
}

module "alerts" {
  source = "./modules/alerts"

  name_prefix       = local.name_prefix
  kms_key_arn       = module.storage.kms_key_arn
  subscriptions     = var.alert_subscriptions
  state_machine_arn = module.orchestration.state_machine_arn
  glue_job_names    = values(module.glue_jobs.job_names)
}

module "orchestration" {
  source = "./modules/orchestration"

  name               = local.state_machine_name
  run_lock_table     = local.run_lock_table
  definition         = templatefile(local.state_machine_template, local.state_machine_definition_vars)
  role_arn           = module.iam.state_machine_role_arn
  kms_key_arn        = module.storage.kms_key_arn
  log_retention_days = var.log_retention_days
  schedule           = var.schedule
  scheduler_role_arn = module.iam.scheduler_role_arn

  landing = {
    enabled     = var.start_on_landing
    bucket_name = module.storage.bucket_names[local.roots.raw_root.bucket]
    keys        = module.contracts.landing_key_patterns
  }
  events_role_arn = module.iam.events_role_arn
}

# The pipeline's metrics (lakehouse/contracts/_metrics.json): dashboard and alarms,
# notifying the alerts topic.
module "monitoring" {
  source = "./modules/monitoring"

  name_prefix       = local.name_prefix
  environment       = var.env
  namespace         = module.contracts.metrics_namespace
  job_dimensions    = module.contracts.metric_dimensions.job
  gate_dimensions   = module.contracts.metric_dimensions.gate
  job_metrics       = module.contracts.job_metrics
  gate_metric_names = module.contracts.gate_metric_names
  source_entities   = module.contracts.source_entities
  gold_tables       = module.contracts.gold_tables
  state_machine_arn = module.orchestration.state_machine_arn
  alarm_topic_arn   = module.alerts.topic_arn

  # The gate's quarantine_rate check threshold (sql/checks/checks.json), a fraction.
  quarantine_rate_threshold = one([for c in local.checks : c.threshold if c.name == "quarantine_rate"])
}
