# The pipeline's own CloudWatch metrics (lakehouse/contracts/_metrics.json, read by
# the contracts module): one dashboard and the alarms on them. Every widget and
# alarm is built from the contracts' metric list; the only metric names written
# here are the four roles below (each once), checked against the contracts.

data "aws_region" "current" {}

locals {
  day = 86400 # rows, quarantine and gate outcomes are read per day

  # Metrics some widgets and alarms need by role. A role whose metric the contracts
  # no longer define stops the plan (preconditions on the dashboard).
  roles = {
    accepted    = "AcceptedRows"
    quarantined = "QuarantinedRows"
    runs        = "RunsValidated"
  }

  job_metric = { for m in var.job_metrics : m.name => m }

  # Dimension values in the contracts' order: job (environment, layer, entity), gate (environment).
  entity_dimension = var.job_dimensions[2]

  # One datum per job run and entity, in one layer: rows per layer per source entity.
  entity_row_metrics = [for m in var.job_metrics : m if m.per == null && m.layer != "*"]
  # One datum per gold table (per = the entity dimension).
  table_metrics = [for m in var.job_metrics : m if m.per == local.entity_dimension]
  # One datum per value of an extra dimension (e.g. Reason): values unknown in
  # advance, so the widget searches for them.
  extra_dimension_metrics = [for m in var.job_metrics : m if m.per != null && m.per != local.entity_dimension]
  # Sent by every job, whatever its layer and entity (JobDuration): searched too.
  every_job_metrics = [for m in var.job_metrics : m if m.per == null && m.layer == "*"]

  # A metric of the dashboard's metrics array: [namespace, name, dim1, value1, ..., {options}].
  # https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html#CloudWatch-Dashboard-Properties-Metrics-Array-Format
  search_keys = { for m in concat(local.extra_dimension_metrics, local.every_job_metrics) : m.name => join(",", concat([var.namespace], var.job_dimensions, m.per == null ? [] : [m.per])) }

  metric_widgets = concat(
    [
      for entity in var.source_entities : {
        title = "Rows per layer per day: ${entity}"
        stat  = "Sum"
        metrics = [
          for m in local.entity_row_metrics : concat(
            [var.namespace, m.name],
            flatten([for i, d in var.job_dimensions : [d, [var.environment, m.layer, entity][i]]]),
            [{ label = "${m.name} (${m.layer})" }],
          )
        ]
      }
    ],
    [
      for m in local.table_metrics : {
        title = "${m.name} per gold table per day"
        stat  = "Sum"
        metrics = [
          for table in var.gold_tables : concat(
            [var.namespace, m.name],
            flatten([for i, d in var.job_dimensions : [d, [var.environment, m.layer, table][i]]]),
            [{ label = table }],
          )
        ]
      }
    ],
    [
      {
        title = "Quarantine rate per day (%), 100 * ${local.roles.quarantined} / (${local.roles.accepted} + ${local.roles.quarantined})"
        stat  = "Sum"
        metrics = concat([
          for i, entity in var.source_entities : [
            concat(
              [var.namespace, local.roles.quarantined],
              flatten([for j, d in var.job_dimensions : [d, [var.environment, local.job_metric[local.roles.quarantined].layer, entity][j]]]),
              [{ id = "q${i}", visible = false }],
            ),
            concat(
              [var.namespace, local.roles.accepted],
              flatten([for j, d in var.job_dimensions : [d, [var.environment, local.job_metric[local.roles.accepted].layer, entity][j]]]),
              [{ id = "a${i}", visible = false }],
            ),
            [{ id = "rate${i}", expression = "100 * q${i} / (a${i} + q${i})", label = entity }],
          ]
        ]...)
        annotations = { horizontal = [{ label = "quarantine_rate check threshold", value = var.quarantine_rate_threshold * 100 }] }
      }
    ],
    [
      for m in local.extra_dimension_metrics : {
        title = "${m.name} per day, per ${m.per}"
        stat  = "Sum"
        metrics = [[{
          id         = "search_${lower(m.name)}"
          expression = "SEARCH('{${local.search_keys[m.name]}} MetricName=\"${m.name}\" ${var.job_dimensions[0]}=\"${var.environment}\"', 'Sum', ${local.day})"
        }]]
      }
    ],
    [
      {
        # ExecutionTime is in milliseconds; shown in seconds beside the jobs' durations.
        title = "Run duration (s): state machine execution and each job"
        stat  = "Maximum"
        metrics = concat(
          [
            ["AWS/States", "ExecutionTime", "StateMachineArn", var.state_machine_arn, { id = "execution_ms", visible = false }],
            [{ id = "execution", expression = "execution_ms / 1000", label = "state machine execution" }],
          ],
          [
            for m in local.every_job_metrics : [{
              id         = "search_${lower(m.name)}"
              expression = "SEARCH('{${local.search_keys[m.name]}} MetricName=\"${m.name}\" ${var.job_dimensions[0]}=\"${var.environment}\"', 'Maximum', ${local.day})"
            }]
          ],
        )
      }
    ],
    [
      {
        title = "Gate outcomes per day"
        stat  = "Sum"
        metrics = [
          for name in var.gate_metric_names : [var.namespace, name, var.gate_dimensions[0], var.environment, { label = name }]
        ]
      }
    ],
  )

  # Two metric widgets per row, 12 x 6 units each (the grid is 24 units wide).
  widgets = concat(
    [
      for i, w in local.metric_widgets : {
        type   = "metric"
        x      = (i % 2) * 12
        y      = floor(i / 2) * 6
        width  = 12
        height = 6
        properties = merge(
          {
            title   = w.title
            view    = "timeSeries"
            stacked = false
            region  = data.aws_region.current.name
            period  = local.day
            stat    = w.stat
            metrics = w.metrics
          },
          contains(keys(w), "annotations") ? { annotations = w.annotations } : {},
        )
      }
    ],
    [
      {
        type   = "alarm"
        x      = 0
        y      = ceil(length(local.metric_widgets) / 2) * 6
        width  = 24
        height = 3
        properties = {
          title  = "Pipeline alarms"
          alarms = concat([for a in aws_cloudwatch_metric_alarm.quarantine_rate : a.arn], [aws_cloudwatch_metric_alarm.no_run.arn])
        }
      }
    ],
  )
}

# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
resource "aws_cloudwatch_dashboard" "pipeline" {
  dashboard_name = "${var.name_prefix}-pipeline"
  dashboard_body = jsonencode({ widgets = local.widgets })

  lifecycle {
    precondition {
      condition     = alltrue([for role, name in local.roles : contains(concat(keys(local.job_metric), var.gate_metric_names), name)])
      error_message = "Every metric the dashboard and alarms use by role (${join(", ", values(local.roles))}) must be defined in lakehouse/contracts/_metrics.json."
    }
  }
}

# ------------------------------------------------------------------ alarms
# Per source entity: the day's quarantined share of its rows above the quarantine_rate
# check's threshold. A metric math alarm: the metrics are metric_query blocks and
# the expression returns the value compared with the threshold.
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html
# A day without the entity's counts (no run yet) is not a breach: the no-run alarm covers it.
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
resource "aws_cloudwatch_metric_alarm" "quarantine_rate" {
  for_each = toset(var.source_entities)

  alarm_name          = "${var.name_prefix}-quarantine-rate-${each.key}"
  alarm_description   = "Share of ${each.key} rows quarantined in a day (${local.roles.quarantined} / (${local.roles.accepted} + ${local.roles.quarantined})) above the quarantine_rate check's threshold (${var.quarantine_rate_threshold})."
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = var.quarantine_rate_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]

  metric_query {
    id = "quarantined"
    metric {
      namespace   = var.namespace
      metric_name = local.roles.quarantined
      dimensions  = zipmap(var.job_dimensions, [var.environment, local.job_metric[local.roles.quarantined].layer, each.key])
      period      = local.day
      stat        = "Sum"
    }
    return_data = false # only the expression is the alarm's value
  }

  metric_query {
    id = "accepted"
    metric {
      namespace   = var.namespace
      metric_name = local.roles.accepted
      dimensions  = zipmap(var.job_dimensions, [var.environment, local.job_metric[local.roles.accepted].layer, each.key])
      period      = local.day
      stat        = "Sum"
    }
    return_data = false # only the expression is the alarm's value
  }

  metric_query {
    id          = "rate"
    expression  = "quarantined / (accepted + quarantined)"
    label       = "quarantine rate of ${each.key}"
    return_data = true
  }
}

# A day on which no run reached the gate's verdict: the state machine sends 1 to
# RunsValidated at every verdict (passed or blocked), so the day's Sum is below 1
# only when no run got that far. No datum at all is the usual shape of that day,
# so missing data breaches.
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
resource "aws_cloudwatch_metric_alarm" "no_run" {
  alarm_name          = "${var.name_prefix}-no-validated-run"
  alarm_description   = "No run of the daily pipeline reached the validation gate in the last day (${local.roles.runs} Sum < 1)."
  namespace           = var.namespace
  metric_name         = local.roles.runs
  dimensions          = zipmap(var.gate_dimensions, [var.environment])
  statistic           = "Sum"
  period              = local.day
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}
