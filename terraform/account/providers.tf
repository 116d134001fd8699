provider "aws" {
  region = var.aws_region

  default_tags {
    tags = { ManagedBy = "terraform", Stack = "lakehouse-account" }
  }
}
