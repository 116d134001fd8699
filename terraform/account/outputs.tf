output "lakeformation_admin_arns" {
  description = "Lake Formation data lake administrators after this apply: the account's existing ones, the deployer and lakeformation_admin_arns."
  value       = aws_lakeformation_data_lake_settings.this.admins
}

output "catalog_encrypted_with" {
  description = "KMS key encrypting the Glue Data Catalog when this stack manages it, else null."
  value       = var.catalog_encryption_kms_key_arn
}
