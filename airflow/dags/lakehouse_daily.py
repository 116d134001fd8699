"""The lakehouse's daily run: one execution of the daily state machine per date.

Graph: resolve_run_date -> choose_target -> run_local_pipeline (local target)
                                         -> start_execution -> wait_for_execution
                                            -> get_execution_output -> log_run_summary (AWS)
See airflow/README.md for the targets, the settings and how to backfill or rerun a date.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

import pendulum
from airflow.providers.amazon.aws.operators.step_function import (
    StepFunctionGetExecutionOutputOperator,
    StepFunctionStartExecutionOperator,
)
from airflow.providers.amazon.aws.sensors.step_function import StepFunctionExecutionSensor
from airflow.sdk import (
    DAG,
    CronDataIntervalTimetable,
    DeadlineAlert,
    DeadlineReference,
    Param,
    SyncCallback,
    chain,
    task,
)
from lakehouse_airflow import alerts, local_target, run_identity, settings

DAG_ID = "lakehouse_daily"
# Parse-time settings come from the environment only: cheap, no database, no network.
START_DATE = pendulum.parse(os.environ.get("LAKEHOUSE_START_DATE", "2026-01-01"), tz="UTC")
# Optional last date (e.g. the last day a local lake has data): catch-up stops there.
END_DATE = (
    pendulum.parse(os.environ["LAKEHOUSE_END_DATE"], tz="UTC")
    if os.environ.get("LAKEHOUSE_END_DATE")
    else None
)
# A data-interval timetable: the run of logical date D starts after D has ended, when
# D's files have landed. ("@daily" alone is a trigger timetable in Airflow 3: the run of
# D would start at D 00:00, before any of D's data exists.)
DAILY_AFTER_THE_DAY = CronDataIntervalTimetable("@daily", timezone="UTC")
LATE_AFTER = timedelta(hours=4)
RUN_TIMEOUT = timedelta(hours=8)
POLL_INTERVAL = timedelta(minutes=1)
EXECUTION_TIMEOUT = timedelta(hours=6)
# Resolved at run time by the macros below (Airflow Variable, then env, then default).
AWS_CONN_ID = "{{ lakehouse_setting('aws_conn_id') }}"
STATE_MACHINE_ARN = "{{ lakehouse_setting('state_machine_arn') }}"
EXECUTION_NAME = "{{ lakehouse_execution_name(dag_run, params, ti.try_number) }}"

DOC_MD = """
### lakehouse_daily

Runs the lakehouse's daily pipeline (bronze -> silver -> gold staged -> validation
gate -> publish) for **one date**: the `run_date` param if set, else the run's
logical date, else its `run_after` (UTC). The run of date D starts after D ends.

**Target** (Variable `lakehouse_target`, else env `LAKEHOUSE_TARGET`, default
`local`), chosen at run time by `choose_target`:

* `aws`: starts the Step Functions execution `lakehouse-<date>-try<n>` of Variable
  `lakehouse_state_machine_arn` with input `{"run_date": ...}` (connection
  `lakehouse_aws_conn_id`, default `aws_default`), follows it without holding a
  worker slot, fetches and logs its output.
* `local`: runs the same state machine definition with the local runtime on the
  lake in `lakehouse_lake_dir` (default `<repo>/.lake`).

A failed run alerts the SNS alerts topic (`lakehouse_alerts_topic_arn`; local: the
lake's SNS outbox); so does a run still unfinished 4 h after it was queued.
**Rerun a date**: clear its DAG run (a new try is a new execution), or trigger the
DAG with `run_date` set. **Backfill**: `airflow backfill create --dag-id
lakehouse_daily --from-date ... --to-date ...`.
"""

log = logging.getLogger(__name__)

default_args = {
    "owner": "data-platform",
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": EXECUTION_TIMEOUT,
}


@task
def resolve_run_date(dag_run=None, params=None) -> str:
    return run_identity.run_date_of(dag_run, params)


@task.branch
def choose_target(dag_run=None, params=None) -> str:
    if settings.target() == "aws":
        if run_identity.recorded_execution(dag_run, params):
            from airflow.sdk.exceptions import AirflowFailException

            raise AirflowFailException("recorded_execution names a local execution: target is aws")
        return "start_execution"
    return "run_local_pipeline"


@task
def run_local_pipeline(run_date: str, dag_run=None, params=None, ti=None) -> dict[str, Any]:
    recorded = run_identity.recorded_execution(dag_run, params)
    if recorded:
        return local_target.show_recorded_execution(run_date, recorded)
    name = run_identity.execution_name(dag_run, params, ti.try_number)
    return local_target.run_local_pipeline(run_date, name)


@task
def log_run_summary(execution_output: dict[str, Any] | None) -> dict[str, Any] | None:
    log.info("run summary: %s", execution_output)
    return execution_output


with DAG(
    dag_id=DAG_ID,
    schedule=DAILY_AFTER_THE_DAY,
    start_date=START_DATE,
    end_date=END_DATE,
    catchup=True,
    max_active_runs=1,
    dagrun_timeout=RUN_TIMEOUT,
    default_args=default_args,
    params={
        "run_date": Param(
            None,
            type=["null", "string"],
            format="date",
            title="Run date",
            description="YYYY-MM-DD to (re)process instead of the run's logical date.",
        ),
        "recorded_execution": Param(
            None,
            type=["null", "string"],
            title="Recorded local execution",
            description=(
                "Local target only: show this execution the lake already ran outside "
                "Airflow (make run) instead of running the date again. Set by "
                "airflow/local_airflow.py when it registers a lake's days."
            ),
        ),
    },
    user_defined_macros={
        "lakehouse_setting": settings.setting,
        "lakehouse_execution_name": run_identity.execution_name,
    },
    on_failure_callback=alerts.alert_failed_run,
    deadline=DeadlineAlert(
        reference=DeadlineReference.DAGRUN_QUEUED_AT,
        interval=LATE_AFTER,
        callback=SyncCallback(alerts.alert_late_run),
    ),
    tags=["lakehouse", "daily", "step-functions"],
    doc_md=DOC_MD,
) as dag:
    resolve_run_date = resolve_run_date()
    choose_target = choose_target()
    run_local_pipeline = run_local_pipeline(resolve_run_date)

    start_execution = StepFunctionStartExecutionOperator(
        task_id="start_execution",
        state_machine_arn=STATE_MACHINE_ARN,
        name=EXECUTION_NAME,
        state_machine_input={"run_date": resolve_run_date},
        aws_conn_id=AWS_CONN_ID,
    )
    # Reschedule mode frees the worker slot between polls (no triggerer needed).
    # A failed execution is final for this try: retrying the sensor would only re-read it.
    wait_for_execution = StepFunctionExecutionSensor(
        task_id="wait_for_execution",
        execution_arn=start_execution.output,
        mode="reschedule",
        poke_interval=POLL_INTERVAL.total_seconds(),
        timeout=EXECUTION_TIMEOUT.total_seconds(),
        retries=0,
        aws_conn_id=AWS_CONN_ID,
    )
    get_execution_output = StepFunctionGetExecutionOutputOperator(
        task_id="get_execution_output",
        execution_arn=start_execution.output,
        aws_conn_id=AWS_CONN_ID,
    )
    log_run_summary = log_run_summary(get_execution_output.output)

    chain(resolve_run_date, choose_target, [run_local_pipeline, start_execution])
    chain(start_execution, wait_for_execution, get_execution_output, log_run_summary)
