output "topic_arn" {
  description = "ARN of the alerts topic."
  value       = aws_sns_topic.this.arn
}

output "alarm_names" {
  description = "CloudWatch alarms: failed executions and failed Glue jobs."
  value       = [aws_cloudwatch_metric_alarm.executions_failed.alarm_name, aws_cloudwatch_metric_alarm.glue_jobs_failed.alarm_name]
}

output "event_rule_names" {
  description = "EventBridge rules forwarding failures to the topic."
  value       = [aws_cloudwatch_event_rule.execution_failed.name, aws_cloudwatch_event_rule.glue_job_failed.name]
}
