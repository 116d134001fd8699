output "database_names" {
  description = "Glue database name per layer."
  value       = { for layer, db in aws_glue_catalog_database.this : layer => db.name }
}

output "tables" {
  description = "Created tables keyed \"<layer>.<dataset>\": database and name."
  value       = { for key, t in aws_glue_catalog_table.this : key => { database = t.database_name, name = t.name } }
}
