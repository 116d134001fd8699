provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, {
      Project     = var.project
      Environment = var.env
      ManagedBy   = "terraform"
    })
  }
}
