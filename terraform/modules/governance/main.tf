# Lake Formation governance: LF-tags (layer, pii) on databases and tables,
# registered S3 locations, and the grants of each actor.

locals {
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
