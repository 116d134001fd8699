output "state_machine_arn" {
  description = "ARN of the daily-pipeline state machine."
  value       = aws_sfn_state_machine.this.arn
}

output "state_machine_name" {
  description = "Name of the daily-pipeline state machine."
  value       = aws_sfn_state_machine.this.name
}

output "log_group_name" {
  description = "Log group with the execution history."
  value       = aws_cloudwatch_log_group.this.name
}

output "schedule_name" {
  description = "Name of the daily schedule, or null when it is disabled."
  value       = one(aws_scheduler_schedule.this[*].name)
}

output "run_lock_table_name" {
  description = "Name of the DynamoDB run-lock table."
  value       = aws_dynamodb_table.run_lock.name
}
