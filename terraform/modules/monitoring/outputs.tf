output "dashboard_name" {
  description = "Name of the pipeline dashboard (<name_prefix>-pipeline)."
  value       = aws_cloudwatch_dashboard.pipeline.dashboard_name
}

output "dashboard_arn" {
  description = "ARN of the pipeline dashboard."
  value       = aws_cloudwatch_dashboard.pipeline.dashboard_arn
}

output "alarm_names" {
  description = "Alarms on the pipeline's metrics: quarantine_rate (per source entity) and no_run (a day on which no run reached the gate)."
  value = {
    quarantine_rate = { for entity, alarm in aws_cloudwatch_metric_alarm.quarantine_rate : entity => alarm.alarm_name }
    no_run          = aws_cloudwatch_metric_alarm.no_run.alarm_name
  }
}
