# Lake Formation governance: LF-tags (layer, pii) on databases and tables,
# registered S3 locations, and the grants of each actor.
#
# Creating LF-tags, registering locations and granting need the deployer to be a Lake
# Formation data lake administrator. This module never changes the account's
# settings (they are account-wide: terraform/account/ is the opt-in stack that adds
# admins, keeping the ones the account has); it reads them and stops at plan time
# with what to do when the deployer is not an administrator, instead of failing in
# the middle of an apply.
# https://docs.aws.amazon.com/lake-formation/latest/dg/permissions-reference.html

data "aws_caller_identity" "current" {}

# The deployer's role ARN when it runs under an assumed role (not its STS session ARN).
data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

data "aws_lakeformation_data_lake_settings" "current" {}

locals {
  deployer_arn    = data.aws_iam_session_context.current.issuer_arn
  deployer_admins = data.aws_lakeformation_data_lake_settings.current.admins

  tag_keys = { layer = "${var.lf_tag_key_prefix}layer", pii = "${var.lf_tag_key_prefix}pii" }

  database_grants = merge([
    for actor, g in var.grants : {
      for layer, p in g.layers : "${actor}.${layer}" => { principal = g.principal_arn, database = var.database_names[layer], permissions = p.database }
      if length(p.database) > 0
    }
  ]...)

  table_grants = merge([
    for actor, g in var.grants : {
      for layer, p in g.layers : "${actor}.${layer}" => { principal = g.principal_arn, database = var.database_names[layer], permissions = p.tables }
      if length(p.tables) > 0
    }
  ]...)

  location_grants = merge([
    for actor, g in var.grants : {
      for root, arn in var.registered_locations : "${actor}.${root}" => { principal = g.principal_arn, location = arn }
    } if g.data_locations
  ]...)
}

resource "aws_lakeformation_lf_tag" "layer" {
  key    = local.tag_keys.layer
  values = sort(keys(var.database_names))

  lifecycle {
    precondition {
      condition     = contains(local.deployer_admins, local.deployer_arn)
      error_message = "The identity running Terraform must be a Lake Formation data lake administrator (it creates LF-tags, registers locations and grants). Add it once per account: apply terraform/account/ (keeps the account's existing admins), or in the Lake Formation console > Administrative roles and tasks."
    }
  }
}

resource "aws_lakeformation_lf_tag" "pii" {
  key    = local.tag_keys.pii
  values = ["false", "true"]
}

resource "aws_lakeformation_resource_lf_tags" "database" {
  for_each = var.database_names

  database {
    name = each.value
  }

  lf_tag {
    key   = aws_lakeformation_lf_tag.layer.key
    value = each.key
  }
}

# Tables carry both tags explicitly (one assignment per resource: tags are set together).
resource "aws_lakeformation_resource_lf_tags" "table" {
  for_each = var.tables

  table {
    database_name = each.value.database
    name          = each.value.name
  }

  lf_tag {
    key   = aws_lakeformation_lf_tag.layer.key
    value = each.value.layer
  }

  lf_tag {
    key   = aws_lakeformation_lf_tag.pii.key
    value = tostring(each.value.has_pii)
  }
}

resource "aws_lakeformation_resource" "this" {
  for_each = var.registered_locations

  arn      = each.value
  role_arn = var.registration_role_arn
}

resource "aws_lakeformation_permissions" "database" {
  for_each = local.database_grants

  principal   = each.value.principal
  permissions = each.value.permissions

  database {
    name = each.value.database
  }
}

resource "aws_lakeformation_permissions" "tables" {
  for_each = local.table_grants

  principal   = each.value.principal
  permissions = each.value.permissions

  table {
    database_name = each.value.database
    wildcard      = true
  }
}

resource "aws_lakeformation_permissions" "data_location" {
  for_each = local.location_grants

  principal   = each.value.principal
  permissions = ["DATA_LOCATION_ACCESS"]

  data_location {
    arn = aws_lakeformation_resource.this[split(".", each.key)[1]].arn
  }
}
