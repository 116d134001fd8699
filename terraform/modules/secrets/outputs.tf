output "secret_arn" {
  description = "ARN of the PII hashing key secret."
  value       = aws_secretsmanager_secret.pii_key.arn
}

output "secret_id" {
  description = "Name of the PII hashing key secret (what jobs get as --pii_key_secret_id)."
  value       = aws_secretsmanager_secret.pii_key.name
}
