"""Weekly lake maintenance: one run of the maintenance Glue job (glue_jobs/maintenance.py).

Graph: choose_target -> run_local_maintenance                                  (local)
                     -> start_maintenance_job -> wait_for_maintenance_job      (aws)
See airflow/README.md (the second DAG) and docs/adr/0014-maintenance.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pendulum
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.providers.amazon.aws.sensors.glue import GlueJobSensor
from airflow.sdk import DAG, CronTriggerTimetable, Param, chain, task
from lakehouse_airflow import alerts, local_target, settings

DAG_ID = "lakehouse_maintenance"
# Parse-time settings come from the environment only: cheap, no database, no network.
START_DATE = pendulum.parse(os.environ.get("LAKEHOUSE_START_DATE", "2026-01-01"), tz="UTC")
# Sundays 04:00 UTC, after the night's daily run (which starts at 00:00 UTC). Nothing
# to catch up: one maintenance run covers every week missed.
WEEKLY = CronTriggerTimetable("0 4 * * 0", timezone="UTC")
POLL_INTERVAL = timedelta(minutes=2)
EXECUTION_TIMEOUT = timedelta(hours=4)
# Resolved at run time by the macros below (Airflow Variable, then env, then default).
AWS_CONN_ID = "{{ lakehouse_setting('aws_conn_id') }}"
JOB_NAME = "{{ lakehouse_setting('maintenance_job_name') }}"

DOC_MD = """
### lakehouse_maintenance

Weekly: compacts the small files of published gold partitions (readers see the same
rows throughout), expires gold staging folders that no kept publication names, drops
bronze partitions beyond the rerun horizon (`contracts/_layers.json`). Params:
`dry_run` (report only), `min_files` (compact partitions with at least this many files).

**Target** as for `lakehouse_daily` (`lakehouse_target`): `aws` starts the Glue job
`lakehouse_maintenance_job_name`, which refuses to run while a daily run holds the
run lock (`lakehouse_run_lock_table`); the task is retried every 30 minutes. `local`
runs the same job on `lakehouse_lake_dir` under the lake's run lock. The report is
`ops/maintenance/run_id=<run>/report.json`.
"""

default_args = {
    "owner": "data-platform",
    # a refusal while a daily run holds the lock is worth retrying later
    "retries": 3,
    "retry_delay": timedelta(minutes=30),
    "execution_timeout": EXECUTION_TIMEOUT,
}


@task.branch
def choose_target() -> str:
    return "start_maintenance_job" if settings.target() == "aws" else "run_local_maintenance"


@task
def run_local_maintenance(params=None) -> dict[str, Any]:
    return local_target.run_local_maintenance(bool(params["dry_run"]), int(params["min_files"]))


with DAG(
    dag_id=DAG_ID,
    schedule=WEEKLY,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    params={
        "dry_run": Param(False, type="boolean", description="Report only; change nothing."),
        "min_files": Param(
            2, type="integer", minimum=2, description="Compact partitions with this many files."
        ),
    },
    user_defined_macros={"lakehouse_setting": settings.setting},
    on_failure_callback=alerts.alert_failed_run,
    tags=["lakehouse", "maintenance", "glue"],
    doc_md=DOC_MD,
) as dag:
    choose_target = choose_target()
    run_local_maintenance = run_local_maintenance()
    start_maintenance_job = GlueJobOperator(
        task_id="start_maintenance_job",
        job_name=JOB_NAME,
        script_args={
            "--dry_run": "{{ 'true' if params.dry_run else 'false' }}",
            "--min_files": "{{ params.min_files }}",
            "--ops_database": "{{ lakehouse_setting('ops_database') }}",
            "--run_lock_table": "{{ lakehouse_setting('run_lock_table') }}",
        },
        wait_for_completion=False,
        aws_conn_id=AWS_CONN_ID,
    )
    # Reschedule mode frees the worker slot between polls (no triggerer needed).
    wait_for_maintenance_job = GlueJobSensor(
        task_id="wait_for_maintenance_job",
        job_name=JOB_NAME,
        run_id=start_maintenance_job.output,
        mode="reschedule",
        poke_interval=POLL_INTERVAL.total_seconds(),
        timeout=EXECUTION_TIMEOUT.total_seconds(),
        retries=0,
        aws_conn_id=AWS_CONN_ID,
    )

    chain(choose_target, [run_local_maintenance, start_maintenance_job])
    chain(start_maintenance_job, wait_for_maintenance_job)
