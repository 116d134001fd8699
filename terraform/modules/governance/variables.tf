variable "lf_tag_key_prefix" {
  description = "Prefix of the LF-tag keys (layer, pii). LF-tags are account-wide: environments sharing an account need distinct prefixes (the root module gives each <project>_<env>_)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9_]*$", var.lf_tag_key_prefix))
    error_message = "lf_tag_key_prefix may hold lowercase letters, digits and underscores."
  }
}

variable "database_names" {
  description = "Glue database name per layer; every layer becomes a value of the layer LF-tag."
  type        = map(string)
}

variable "tables" {
  description = "Catalog tables keyed \"<layer>.<dataset>\": layer, database, name and whether the table holds PII."
  type = map(object({
    layer    = string
    database = string
    name     = string
    has_pii  = bool
  }))
}

variable "registered_locations" {
  description = "S3 locations (bucket/prefix ARNs) registered with Lake Formation, keyed by root name."
  type        = map(string)

  validation {
    condition     = alltrue([for arn in values(var.registered_locations) : can(regex("^arn:[a-z-]+:s3:::", arn))])
    error_message = "registered_locations are S3 ARNs."
  }
}

variable "registration_role_arn" {
  description = "Role Lake Formation assumes to access the registered locations."
  type        = string
}

variable "grants" {
  description = <<-EOT
    Lake Formation grants per actor: the principal, per layer the permissions on the
    database and on all of its tables, and whether it may create tables on the
    registered locations (DATA_LOCATION_ACCESS).
  EOT
  type = map(object({
    principal_arn  = string
    data_locations = optional(bool, false)
    layers = map(object({
      database = list(string)
      tables   = list(string)
    }))
  }))

  validation {
    condition = alltrue(flatten([
      for g in values(var.grants) : [
        for l in values(g.layers) : [for p in concat(l.database, l.tables) : contains(["ALTER", "CREATE_TABLE", "DELETE", "DESCRIBE", "DROP", "INSERT", "SELECT"], p)]
      ]
    ]))
    error_message = "Grant only named permissions (ALTER, CREATE_TABLE, DELETE, DESCRIBE, DROP, INSERT, SELECT); ALL and grant options are not used."
  }
}
