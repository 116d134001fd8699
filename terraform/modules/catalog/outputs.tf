output "database_names" {
  description = "Glue database name per layer."
  value       = { for layer, db in aws_glue_catalog_database.this : layer => db.name }
}

output "tables" {
  description = "Created tables keyed \"<layer>.<dataset>\": database and name."
  value       = { for key, t in merge(aws_glue_catalog_table.this, aws_glue_catalog_table.view, aws_glue_catalog_table.pointer) : key => { database = t.database_name, name = t.name } }
}
