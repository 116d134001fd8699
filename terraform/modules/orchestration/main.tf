# The daily pipeline: a STANDARD state machine with its execution history in an
# encrypted log group, X-Ray tracing, and an optional daily schedule.

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/vendedlogs/states/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# The run lock (docs/adr/0007): one item that serialises runs (a conditional PutItem,
# the Step Functions semaphore pattern) and one that marks silver of a date as being
# written. Items hold lock ids, dates and execution ARNs, nothing else.
resource "aws_dynamodb_table" "run_lock" {
  #checkov:skip=CKV_AWS_119:The table holds only lock ids, dates and execution ARNs; it is encrypted at rest with DynamoDB's AWS owned key (every table is: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html). A customer managed key would add KMS grants to every lock call for no data worth the key.
  name         = var.run_lock_table
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "lock_id"

  attribute {
    name = "lock_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_sfn_state_machine" "this" {
  name       = var.name
  type       = "STANDARD"
  role_arn   = var.role_arn
  definition = var.definition

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.this.arn}:*"
    include_execution_data = true
    level                  = var.log_level
  }

  tracing_configuration {
    enabled = true
  }
}

resource "aws_scheduler_schedule" "this" {
  count = var.schedule.enabled ? 1 : 0

  name                         = "${var.name}-daily"
  description                  = "Starts the daily pipeline (fallback when Airflow does not schedule it)."
  schedule_expression          = var.schedule.expression
  schedule_expression_timezone = var.schedule.timezone
  kms_key_arn                  = var.kms_key_arn

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_sfn_state_machine.this.arn
    role_arn = var.scheduler_role_arn
    # The scheduled time (an ISO timestamp), not a run date: the state machine's first
    # state turns it into the run of that UTC date under a name derived from the date
    # (lakehouse-<date>-scheduled), so a repeated delivery cannot run the date twice.
    # https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
    input = jsonencode({ scheduled_time = "<aws.scheduler.scheduled-time>" })
  }

  lifecycle {
    precondition {
      condition     = var.scheduler_role_arn != null
      error_message = "An enabled schedule needs scheduler_role_arn."
    }
  }
}

# A landing object written (any version of a marker or an expected file) -> the state
# machine, whose first state waits for every landing object of the date and names the
# run after the event's sequencer.
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html (Object Created)
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html (wildcard)
resource "aws_cloudwatch_event_rule" "landing" {
  count = var.landing.enabled ? 1 : 0

  name        = "${var.name}-landing-marker"
  description = "A source entity marked a day's landing complete: hand the date to the daily pipeline."
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = [var.landing.bucket_name] }
      object = { key = [for key in var.landing.keys : { wildcard = key }] }
    }
  })

  lifecycle {
    precondition {
      condition     = var.events_role_arn != null && var.landing.bucket_name != null && length(var.landing.keys) > 0
      error_message = "Starting on landing markers needs events_role_arn, the raw bucket name and the landing key patterns."
    }
  }
}

resource "aws_cloudwatch_event_target" "landing" {
  count = var.landing.enabled ? 1 : 0

  rule     = aws_cloudwatch_event_rule.landing[0].name
  arn      = aws_sfn_state_machine.this.arn
  role_arn = var.events_role_arn

  # The input the definition's StartedBySchedule? choice reads as a landing marker.
  # https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html
  input_transformer {
    input_paths = {
      bucket    = "$.detail.bucket.name"
      key       = "$.detail.object.key"
      sequencer = "$.detail.object.sequencer"
    }
    input_template = "{\"landing_marker\": {\"bucket\": <bucket>, \"key\": <key>, \"sequencer\": <sequencer>}}"
  }
}
