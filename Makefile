# Front door. `make run` and `make test` are the README's quick start.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
LAKE ?= .lake
# pytest-xdist workers for make test / test-fast (tests/conftest.py groups the tests so
# that what shares an expensive fixture stays in one worker); 0 runs in one process.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS)
export PYTHONPATH := $(CURDIR)
export PYSPARK_PYTHON := $(CURDIR)/$(VENV)/bin/python

.PHONY: help env lint fmt test test-fast run bench clean
help: ## list targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

env: ## create/refresh .venv from uv.lock (bootstraps uv when missing)
	@scripts/ensure-env.sh

lint: env ## ruff lint + format check, SQL lint (sqlfluff), terraform fmt
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/sqlfluff lint sql --disable-progress-bar
	TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -recursive terraform

fmt: env ## format Python (ruff), SQL (sqlfluff) and Terraform
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/sqlfluff fix sql --disable-progress-bar
	terraform fmt -recursive terraform

test: env lint ## lint + every test suite (unit, integration, infra, airflow); ends with the 15 slowest tests and the time per suite
	$(PY) -m pytest $(XDIST) --durations=15

test-fast: env ## unit, SQL and emulator conformance tests: no Terraform, moto servers, Airflow or browser
	$(PY) -m pytest $(XDIST) -m "not slow and not infra and not airflow and not browser" --durations=15

run: env ## generate sample days and run the daily pipeline locally
	$(PY) -m lakehouse.cli demo --lake $(LAKE)

bench: env ## benchmarks (bench/), never part of make test
	$(PY) -m bench

clean: ## remove the local lake and caches (keeps .venv)
	rm -rf $(LAKE) .pytest_cache .ruff_cache spark-warehouse metastore_db derby.log

-include mk/*.mk
