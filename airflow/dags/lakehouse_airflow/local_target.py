"""The DAG's local target: one local execution of the project's real state machine
(`lakehouse.local.executions.run_pipeline`) for the run date, in the task's process.

The local runtime (Spark, DuckDB) is imported here, inside the call, never when the
DAG file is parsed."""

from __future__ import annotations

import json
import logging
from typing import Any

from lakehouse_airflow import settings

log = logging.getLogger(__name__)


def run_local_pipeline(run_date: str, execution_name: str) -> dict[str, Any]:
    """Run the date locally; return the execution summary, or fail the task (no retry:
    the state machine already retried what is worth retrying) when it did not succeed."""
    from airflow.sdk.exceptions import AirflowFailException

    from lakehouse.local.executions import run_pipeline

    lake_dir = settings.LAKE_DIR.read()
    log.info("local execution %s of %s in lake %s", execution_name, run_date, lake_dir)
    execution = run_pipeline(lake_dir, run_date, execution_name=execution_name)
    summary = execution.to_dict()
    log.info("run summary: %s", json.dumps(summary, sort_keys=True, default=str))
    if execution.status != "SUCCEEDED":
        raise AirflowFailException(
            f"local execution {execution.name} of {run_date} ended {execution.status}: "
            f"{execution.error}: {execution.cause}"
        )
    return summary


def run_local_maintenance(dry_run: bool, min_files: int) -> dict[str, Any]:
    """The maintenance job (glue_jobs/maintenance.py) on the local lake under its run
    lock, as `lakehouse maintain` runs it; returns its report, or fails the task."""
    from airflow.sdk.exceptions import AirflowFailException

    from lakehouse.local.run_cli import run_maintenance_job

    lake_dir = settings.LAKE_DIR.read()
    log.info("local maintenance of lake %s (dry run: %s)", lake_dir, dry_run)
    job, report = run_maintenance_job(lake_dir, dry_run=dry_run, min_files=min_files)
    if report is None:
        raise AirflowFailException(f"local maintenance job {job.id} failed: {job.error_message}")
    log.info("maintenance report: %s", json.dumps(report, sort_keys=True, default=str))
    return report
