"""Placeholder values of the state machine for a local deployment (what Terraform's
templatefile() variables are on AWS)."""

from __future__ import annotations

import json

from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.contracts.catalog import PUBLICATION_TABLE
from lakehouse.layout import (
    LANDING_MARKER,
    LOCAL_NAMING,
    PREFIXES,
    landing_objects,
    local_bucket_name,
)
from lakehouse.metrics import METRICS_NAMESPACE
from lakehouse.statemachine import load_checks

LOCAL_NAME_PREFIX = f"{LOCAL_NAMING['project']}-{LOCAL_NAMING['env']}"
LOCAL_TOPIC_ARN = (
    f"arn:aws:sns:{LOCAL_NAMING['region']}:{LOCAL_NAMING['account_id']}:{LOCAL_NAME_PREFIX}-alerts"
)
LOCAL_WORKGROUP = LOCAL_NAME_PREFIX
LOCAL_ENVIRONMENT = LOCAL_NAMING["env"]  # the Environment dimension of local metrics
LOCAL_RUN_LOCK_TABLE = f"{LOCAL_NAME_PREFIX}-run-lock"
# Placeholder -> Glue entry script (glue_jobs/<script>.py); Terraform maps the same
# placeholders to the deployed job names.
JOB_PLACEHOLDERS = {
    "bronze_job_name": "bronze_ingest",
    "silver_job_name": "silver_merge",
    "gold_job_name": "gold_build",
}


def local_values() -> dict[str, str]:
    ops_bucket_role, ops_prefix = PREFIXES["ops_root"]
    return {
        **JOB_PLACEHOLDERS,
        "athena_workgroup": LOCAL_WORKGROUP,
        # Locally the databases carry the logical layer names the SQL uses.
        "publication_table": PUBLICATION_TABLE,
        "run_lock_table": LOCAL_RUN_LOCK_TABLE,
        "ops_database": "ops",
        "ops_bucket": local_bucket_name(ops_bucket_role),
        "ops_prefix": ops_prefix,
        "alerts_topic_arn": LOCAL_TOPIC_ARN,
        "checks_json": json.dumps(load_checks()),
        "entities_json": json.dumps(list(SOURCE_ENTITIES)),
        "raw_bucket": local_bucket_name(PREFIXES["raw_root"][0]),
        "landing_marker": LANDING_MARKER,
        "landing_json": json.dumps(landing_objects()),
        "metrics_namespace": METRICS_NAMESPACE,
        "environment": LOCAL_ENVIRONMENT,
    }
