# Role ARNs are handed out only once the role's policy exists: a Glue job, state
# machine or schedule created with a role that cannot yet do its work fails its
# first run (Step Functions checks the role when the state machine is created).
output "glue_role_arn" {
  description = "ARN of the role the Glue jobs run as (available once its policy exists)."
  value       = aws_iam_role.glue.arn
  depends_on  = [aws_iam_role_policy.glue]
}

output "state_machine_role_arn" {
  description = "ARN of the role the state machine runs as (available once its policy exists)."
  value       = aws_iam_role.state_machine.arn
  depends_on  = [aws_iam_role_policy.state_machine]
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
  description = "ARN of the role Lake Formation uses for the registered locations (available once its policy exists)."
  value       = aws_iam_role.lakeformation.arn
  depends_on  = [aws_iam_role_policy.lakeformation]
}

output "scheduler_role_arn" {
  description = "ARN of the EventBridge Scheduler role, or null when the schedule is disabled (available once its policy exists)."
  value       = one(aws_iam_role.scheduler[*].arn)
  depends_on  = [aws_iam_role_policy.scheduler]
}

output "state_machine_arn" {
  description = "ARN the state machine will have (built from its name, so roles do not depend on it)."
  value       = local.state_machine_arn
}

output "events_role_arn" {
  description = "Role the landing-marker EventBridge rule starts the state machine with (null when start_on_landing is off)."
  value       = one(aws_iam_role.events[*].arn)
  depends_on  = [aws_iam_role_policy.events]
}
