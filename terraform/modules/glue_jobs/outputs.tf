output "job_names" {
  description = "Glue job name per entry-script stem."
  value       = { for stem, job in aws_glue_job.this : stem => job.name }
}

output "job_arns" {
  description = "Glue job ARN per entry-script stem."
  value       = { for stem, job in aws_glue_job.this : stem => job.arn }
}

output "script_locations" {
  description = "S3 location of each job's entry script."
  value       = { for stem, job in aws_glue_job.this : stem => job.command[0].script_location }
}

output "library_s3_uri" {
  description = "S3 location of the library zip (--extra-py-files)."
  value       = "s3://${var.artifacts_bucket}/${aws_s3_object.library.key}"
}

output "security_configuration_name" {
  description = "Glue security configuration attached to every job."
  value       = aws_glue_security_configuration.this.name
}
