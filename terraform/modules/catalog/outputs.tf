output "database_names" {
  description = "Glue database name per layer."
  value       = { for layer, db in aws_glue_catalog_database.this : layer => db.name }
}

output "tables" {
  description = "Created tables keyed \"<layer>.<dataset>\": database and name."
  value       = { for key, t in aws_glue_catalog_table.this : key => { database = t.database_name, name = t.name } }
}

output "lakeformation_admin_arns" {
  description = "Lake Formation administrators set by this stack (empty when it does not manage the settings)."
  value       = flatten(aws_lakeformation_data_lake_settings.this[*].admins)
}
