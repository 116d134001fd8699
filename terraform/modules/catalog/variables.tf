variable "database_prefix" {
  description = "Database name prefix, <project>_<env>; databases are <database_prefix>_<layer>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*_[a-z][a-z0-9]*$", var.database_prefix))
    error_message = "database_prefix must look like <project>_<env> (lowercase letters and digits)."
  }
}

variable "layers" {
  description = "Logical layers; each gets one Glue database."
  type        = list(string)
}

variable "tables" {
  description = "Tables and views keyed \"<layer>.<dataset>\" (from the contracts module) plus their S3 location: kind table (partition projection when projected), view (view_sql: Trino with physical database names) or pointer (the publication table, whose Location publish switches)."
  type = map(object({
    layer          = string
    name           = string
    location       = string
    kind           = string
    projected      = bool
    view_sql       = optional(string)
    columns        = list(object({ name = string, type = string }))
    partition_keys = list(object({ name = string, type = string }))
  }))

  validation {
    condition     = alltrue([for t in values(var.tables) : startswith(t.location, "s3://") && endswith(t.location, "/")])
    error_message = "Table locations are s3:// URLs ending with \"/\"."
  }
}

variable "projection_start_date" {
  description = "First date Athena partition projection enumerates for date partitions (YYYY-MM-DD). Data older than this is invisible to Athena."
  type        = string
  default     = "2015-01-01"

  validation {
    condition     = can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", var.projection_start_date))
    error_message = "projection_start_date must be YYYY-MM-DD."
  }
}
