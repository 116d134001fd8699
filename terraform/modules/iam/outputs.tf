output "glue_role_arn" {
  description = "ARN of the role the Glue jobs run as."
  value       = aws_iam_role.glue.arn
}

output "state_machine_role_arn" {
  description = "ARN of the role the state machine runs as."
  value       = aws_iam_role.state_machine.arn
}

output "airflow_role_arn" {
  description = "ARN of the role the Airflow DAG assumes to start/describe/stop executions."
  value       = aws_iam_role.airflow.arn
}

output "analyst_role_arn" {
  description = "ARN of the analyst role (Athena workgroup + gold)."
  value       = aws_iam_role.analyst.arn
}

output "lakeformation_role_arn" {
  description = "ARN of the role Lake Formation uses for the registered locations."
  value       = aws_iam_role.lakeformation.arn
}

output "scheduler_role_arn" {
  description = "ARN of the EventBridge Scheduler role, or null when the schedule is disabled."
  value       = one(aws_iam_role.scheduler[*].arn)
}

output "state_machine_arn" {
  description = "ARN the state machine will have (built from its name, so roles do not depend on it)."
  value       = local.state_machine_arn
}
