variable "contracts_dir" {
  description = "Folder holding the dataset contracts (<dataset>.json), the layer conventions (_layers.json) and the CloudWatch metrics (_metrics.json)."
  type        = string

  validation {
    condition     = fileexists("${var.contracts_dir}/_layers.json") && fileexists("${var.contracts_dir}/_metrics.json")
    error_message = "contracts_dir must contain _layers.json and _metrics.json (lakehouse/contracts)."
  }
}
