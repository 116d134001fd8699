# Terraform stack (terraform/): offline checks. Both targets run the same code as
# tests/infra (tests/support/terraform_offline.py); see terraform/README.md.
#   make tf-check   fmt -check, init -backend=false + validate, terraform test
#                   (mocked AWS provider), checkov offline; prints "failed checks: N"
#   make tf-moto    apply the dev environment to a local moto_server, re-plan
#                   (must be "no changes"), assert through boto3, destroy
#   make tf-package build terraform/.build/lakehouse.zip (the Glue library)
# TF_PROVIDER_MIRROR=<dir> points at a filesystem mirror of hashicorp/aws; without
# it common places are searched, and without a mirror the public registry is used.

.PHONY: tf-check tf-moto tf-package

tf-package: env ## build the Glue library zip (terraform/.build/lakehouse.zip)
	$(PY) scripts/package_glue_lib.py

tf-check: env ## Terraform: fmt, validate, terraform test (mocked), checkov
	@scripts/ensure-env.sh checkov
	$(PY) -m tests.support.terraform_offline check

tf-moto: env ## Terraform: apply/re-plan/assert/destroy the dev stack on moto
	$(PY) -m tests.support.terraform_offline moto
