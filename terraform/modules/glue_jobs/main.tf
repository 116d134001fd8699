# Job scripts and the library zip are uploaded under keys that contain their MD5,
# so a changed file is a new object and a changed script_location / --extra-py-files:
# the job is updated whenever its code changes. source_hash (not etag) tracks the
# content: with SSE-KMS the ETag S3 returns is not the MD5, so etag would diff forever.

locals {
  library_md5 = fileexists(var.library_zip_path) ? filemd5(var.library_zip_path) : "missing"
  library_key = "${var.artifacts_prefix}/lib/${local.library_md5}/lakehouse.zip"
  script_keys = { for stem, job in var.jobs : stem => "${var.artifacts_prefix}/scripts/${filemd5(job.script_path)}/${stem}.py" }

  runtime_arguments = {
    "--extra-py-files"                   = "s3://${var.artifacts_bucket}/${local.library_key}"
    "--TempDir"                          = "s3://${var.artifacts_bucket}/${var.artifacts_prefix}/temp/"
    "--job-language"                     = "python"
    "--enable-auto-scaling"              = "true"
    "--enable-metrics"                   = "true"
    "--enable-observability-metrics"     = "true"
    "--enable-continuous-cloudwatch-log" = "true"
    # No --enable-glue-datacatalog: the jobs read and write by path and never use a
    # metastore. With it, Spark's Hive client opens the Glue catalog at session
    # start and looks up (and may create) database `default`, which the role is not
    # granted. https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-glue-arguments.html
    # Jobs track their own partitions; bookmarks would skip reruns of a date.
    "--job-bookmark-option" = "job-bookmark-disable"
  }
}

resource "aws_s3_object" "library" {
  bucket       = var.artifacts_bucket
  key          = local.library_key
  source       = var.library_zip_path
  source_hash  = local.library_md5
  content_type = "application/zip"
  kms_key_id   = var.kms_key_arn

  lifecycle {
    precondition {
      condition     = fileexists(var.library_zip_path)
      error_message = "No library zip at ${var.library_zip_path}: run `python scripts/package_glue_lib.py` first."
    }
  }
}

resource "aws_s3_object" "script" {
  for_each = var.jobs

  bucket       = var.artifacts_bucket
  key          = local.script_keys[each.key]
  source       = each.value.script_path
  source_hash  = filemd5(each.value.script_path)
  content_type = "text/x-python"
  kms_key_id   = var.kms_key_arn
}

resource "aws_glue_security_configuration" "this" {
  name = "${var.name_prefix}-glue-jobs"

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = var.kms_key_arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = var.kms_key_arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = var.kms_key_arn
    }
  }
}

resource "aws_glue_job" "this" {
  for_each = var.jobs

  name                   = each.value.name
  description            = "Entry script glue_jobs/${each.key}.py"
  role_arn               = var.role_arn
  glue_version           = var.glue_version
  worker_type            = var.workers.worker_type
  number_of_workers      = var.workers.number_of_workers
  timeout                = var.workers.timeout_minutes
  execution_class        = var.workers.execution_class # explicit, or every plan shows a diff
  max_retries            = 0                           # the state machine owns retries
  security_configuration = aws_glue_security_configuration.this.name

  command {
    name            = "glueetl"
    python_version  = "3"
    script_location = "s3://${var.artifacts_bucket}/${aws_s3_object.script[each.key].key}"
  }

  execution_property {
    max_concurrent_runs = each.value.max_concurrent_runs
  }

  default_arguments = merge(var.default_arguments, local.runtime_arguments, {
    "--extra-py-files" = "s3://${var.artifacts_bucket}/${aws_s3_object.library.key}"
  })
}
