output "lf_tag_keys" {
  description = "LF-tag keys: layer and pii."
  value       = { layer = aws_lakeformation_lf_tag.layer.key, pii = aws_lakeformation_lf_tag.pii.key }
}

output "registered_location_arns" {
  description = "S3 locations registered with Lake Formation, keyed by root name."
  value       = { for root, r in aws_lakeformation_resource.this : root => r.arn }
}

output "grant_keys" {
  description = "Granted (actor.layer / actor.root) keys per kind: database, tables, data_location."
  value = {
    database      = sort(keys(aws_lakeformation_permissions.database))
    tables        = sort(keys(aws_lakeformation_permissions.tables))
    data_location = sort(keys(aws_lakeformation_permissions.data_location))
  }
}
