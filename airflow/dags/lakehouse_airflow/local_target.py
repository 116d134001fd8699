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


def show_recorded_execution(run_date: str, execution_name: str) -> dict[str, Any]:
    """A DAG run registered for a date the lake already ran outside Airflow (`make run`,
    `lakehouse run`; see airflow/local_airflow.py): log that execution's summary and the
    alerts it sent, and end like it ended. Runs nothing and sends nothing again."""
    from airflow.sdk.exceptions import AirflowFailException

    from lakehouse.local.executions import load_execution, sent_alerts

    lake_dir = settings.LAKE_DIR.read()
    execution = load_execution(lake_dir, execution_name)
    if execution is None or execution.run_date != run_date:
        raise AirflowFailException(
            f"lake {lake_dir} has no recorded execution {execution_name} of {run_date}"
        )
    log.info(
        "execution %s of %s ran outside Airflow (%s .. %s) in lake %s; shown, not run again",
        execution.name,
        run_date,
        execution.start_date,
        execution.stop_date,
        lake_dir,
    )
    summary = execution.to_dict()
    log.info("run summary: %s", json.dumps(summary, sort_keys=True, default=str))
    for alert in sent_alerts(execution):
        log.warning("alert the execution sent: %s\n%s", alert["Subject"], alert["Message"])
    if execution.status != "SUCCEEDED":
        raise AirflowFailException(
            f"recorded execution {execution.name} of {run_date} ended {execution.status}: "
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
