# Production: larger workers, storage kept on destroy, alerts to the on-call list.
# Bucket names are global: change project to a name nobody else uses.
project    = "lakehouse"
env        = "prod"
aws_region = "eu-west-1"

glue_workers = {
  worker_type       = "G.2X"
  number_of_workers = 10
  timeout_minutes   = 120
  execution_class   = "STANDARD"
}

force_destroy_buckets       = false
kms_deletion_window_days    = 30
secret_recovery_window_days = 30
athena_bytes_scanned_cutoff = 107374182400 # 100 GiB

lifecycle_days = {
  landing_to_standard_ia = 30
  landing_to_archive     = 180
  noncurrent_versions    = 90
  athena_results         = 30
  access_logs            = 400
}

alert_subscriptions = [
  { protocol = "email", endpoint = "data-oncall@example.com" },
]

tags = {
  CostCenter = "data-platform"
}
