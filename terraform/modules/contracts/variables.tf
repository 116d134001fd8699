variable "contracts_dir" {
  description = "Folder holding the dataset contracts (<dataset>.json) and the layer conventions (_layers.json)."
  type        = string

  validation {
    condition     = fileexists("${var.contracts_dir}/_layers.json")
    error_message = "contracts_dir must contain _layers.json (lakehouse/contracts)."
  }
}
