# Account-level settings the environment stacks rely on but must never own: Lake
# Formation data lake settings and Glue Data Catalog encryption are one per account and
# region, shared by every environment (and by anything else in the account). Applied once
# per account and region by an administrator, opt-in, and additive: it reads the
# account's current settings and keeps them, adding administrators.
#
# aws_lakeformation_data_lake_settings REPLACES every setting it does not name, and its
# destroy writes empty settings (no administrators). So every setting is copied from what
# the account has, and the resource cannot be destroyed by Terraform (prevent_destroy):
# to stop managing it, `terraform state rm aws_lakeformation_data_lake_settings.this`.
# https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/lakeformation_data_lake_settings

data "aws_caller_identity" "current" {}

data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

data "aws_lakeformation_data_lake_settings" "current" {}

locals {
  current = data.aws_lakeformation_data_lake_settings.current
  admins  = sort(distinct(concat(tolist(local.current.admins), [data.aws_iam_session_context.current.issuer_arn], var.lakeformation_admin_arns)))
}

resource "aws_lakeformation_data_lake_settings" "this" {
  admins                  = local.admins
  read_only_admins        = local.current.read_only_admins
  trusted_resource_owners = local.current.trusted_resource_owners

  allow_external_data_filtering      = local.current.allow_external_data_filtering
  external_data_filtering_allow_list = local.current.external_data_filtering_allow_list
  authorized_session_tag_value_list  = local.current.authorized_session_tag_value_list

  # Default grants of new databases and tables: the account's, unless asked to drop
  # the IAM-only grant. https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html
  dynamic "create_database_default_permissions" {
    for_each = var.new_resources_use_lake_formation_permissions ? [] : local.current.create_database_default_permissions
    content {
      permissions = create_database_default_permissions.value.permissions
      principal   = create_database_default_permissions.value.principal
    }
  }

  dynamic "create_table_default_permissions" {
    for_each = var.new_resources_use_lake_formation_permissions ? [] : local.current.create_table_default_permissions
    content {
      permissions = create_table_default_permissions.value.permissions
      principal   = create_table_default_permissions.value.principal
    }
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_glue_data_catalog_encryption_settings" "this" {
  count = var.catalog_encryption_kms_key_arn == null ? 0 : 1

  data_catalog_encryption_settings {
    encryption_at_rest {
      catalog_encryption_mode = "SSE-KMS"
      sse_aws_kms_key_id      = var.catalog_encryption_kms_key_arn
    }

    connection_password_encryption {
      return_connection_password_encrypted = true
      aws_kms_key_id                       = var.catalog_encryption_kms_key_arn
    }
  }
}
