variable "aws_region" {
  description = "Region whose Lake Formation settings and Glue Data Catalog this stack manages (both are per account and region)."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-1."
  }
}

variable "lakeformation_admin_arns" {
  description = "IAM roles or users to make Lake Formation data lake administrators, besides the ones the account already has (kept) and the identity running this stack (added): typically the roles that deploy the environment stacks."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.lakeformation_admin_arns : can(regex("^arn:[a-z-]+:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "lakeformation_admin_arns are IAM role or user ARNs."
  }
}

variable "new_resources_use_lake_formation_permissions" {
  description = "Remove the IAM-only default grant (IAM_ALLOWED_PRINCIPALS) for databases and tables created from now on, so Lake Formation grants govern them. false keeps the account's defaults as they are."
  type        = bool
  default     = false
}

variable "catalog_encryption_kms_key_arn" {
  description = "Encrypt the account's Glue Data Catalog metadata (and connection passwords) with this KMS key. null leaves the account's catalog encryption as it is. Every principal reading the catalog then needs kms:Decrypt on the key."
  type        = string
  default     = null

  validation {
    condition     = var.catalog_encryption_kms_key_arn == null || can(regex("^arn:[a-z-]+:kms:", var.catalog_encryption_kms_key_arn))
    error_message = "catalog_encryption_kms_key_arn is a KMS key ARN or null."
  }
}
