output "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts the platform's data."
  value       = aws_kms_key.this.arn
}

output "kms_key_id" {
  description = "Key id of the customer-managed key."
  value       = aws_kms_key.this.key_id
}

output "kms_alias_name" {
  description = "Alias of the customer-managed key."
  value       = aws_kms_alias.this.name
}

output "bucket_names" {
  description = "Bucket name per role (raw, curated, analytics, artifacts, logs)."
  value       = merge({ for role, bucket in aws_s3_bucket.data : role => bucket.bucket }, { (var.log_bucket_role) = aws_s3_bucket.logs.bucket })
}

output "bucket_arns" {
  description = "Bucket ARN per role."
  value       = merge({ for role, bucket in aws_s3_bucket.data : role => bucket.arn }, { (var.log_bucket_role) = aws_s3_bucket.logs.arn })
}
