terraform {
  # 1.11: write-only arguments and the mock_provider features the tests use.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
