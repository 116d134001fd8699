# Development: small workers, disposable storage.
# Bucket names are global: change project to a name nobody else uses.
project    = "lakehouse"
env        = "dev"
aws_region = "eu-west-1"

glue_workers = {
  worker_type       = "G.1X"
  number_of_workers = 2
  timeout_minutes   = 30
  execution_class   = "STANDARD"
}

force_destroy_buckets       = true
kms_deletion_window_days    = 7
secret_recovery_window_days = 0          # dev is destroyed and re-created: a deleted secret keeps its name for its recovery window
athena_bytes_scanned_cutoff = 1073741824 # 1 GiB

lifecycle_days = {
  noncurrent_versions = 30
  athena_results      = 7
  access_logs         = 90
}

tags = {
  CostCenter = "data-platform-dev"
}
