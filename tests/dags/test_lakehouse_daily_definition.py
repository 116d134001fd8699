"""The DAG folder parses cleanly, fast and without I/O; the DAG has the promised shape."""

from __future__ import annotations

import time
from datetime import timedelta

import pendulum
import pytest

from tests.dags.airflow_helpers import DAG_ID, load_dag, parse_dag_folder_refusing_io

pytestmark = pytest.mark.airflow

WARM_PARSE_LIMIT_SECONDS = 2.0


@pytest.fixture(scope="module")
def dag():
    return load_dag()


def test_dag_folder_imports_without_errors_io_or_heavy_modules(dag):
    started = time.perf_counter()
    dagbag = parse_dag_folder_refusing_io()
    elapsed = time.perf_counter() - started

    assert dagbag.import_errors == {}
    assert sorted(dagbag.dags) == [DAG_ID, "lakehouse_maintenance"]
    assert len(dagbag.dagbag_stats) == 2  # one per DAG file
    for stats in dagbag.dagbag_stats:
        assert stats.duration.total_seconds() < WARM_PARSE_LIMIT_SECONDS, stats
    assert elapsed < WARM_PARSE_LIMIT_SECONDS + 1.0


def test_tasks_and_their_order(dag):
    downstream = {task.task_id: sorted(task.downstream_task_ids) for task in dag.tasks}

    assert downstream == {
        "resolve_run_date": ["choose_target", "run_local_pipeline", "start_execution"],
        "choose_target": ["run_local_pipeline", "start_execution"],
        "run_local_pipeline": [],
        "start_execution": ["get_execution_output", "wait_for_execution"],
        "wait_for_execution": ["get_execution_output"],
        "get_execution_output": ["log_run_summary"],
        "log_run_summary": [],
    }


def test_schedule_catchup_and_retries(dag):
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.timetable.expression == "0 0 * * *"
    assert dag.start_date == pendulum.datetime(2026, 1, 1, tz="UTC")
    assert dag.end_date is None
    assert dag.catchup is True
    assert dag.max_active_runs == 1
    assert dag.dagrun_timeout == timedelta(hours=8)
    assert {"lakehouse", "daily"} <= set(dag.tags)
    assert "run_date" in dag.doc_md

    start_execution = dag.get_task("start_execution")
    assert start_execution.retries == 2
    assert start_execution.retry_exponential_backoff == 2.0
    assert start_execution.max_retry_delay == timedelta(minutes=30)
    assert start_execution.execution_timeout == timedelta(hours=6)


def test_start_and_end_dates_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_START_DATE", "2026-02-01")
    monkeypatch.setenv("LAKEHOUSE_END_DATE", "2026-02-07")

    dag = load_dag()

    assert dag.start_date == pendulum.datetime(2026, 2, 1, tz="UTC")
    assert dag.end_date == pendulum.datetime(2026, 2, 7, tz="UTC")


def test_sensor_frees_its_worker_slot_and_does_not_retry_a_failed_execution(dag):
    wait_for_execution = dag.get_task("wait_for_execution")

    assert wait_for_execution.mode == "reschedule"
    assert wait_for_execution.retries == 0
    assert wait_for_execution.poke_interval == 60


def test_run_date_param_and_execution_templates(dag):
    assert dag.params.get_param("run_date").schema["format"] == "date"
    assert dag.params["run_date"] is None
    start_execution = dag.get_task("start_execution")
    assert "lakehouse_execution_name" in start_execution.name
    assert "lakehouse_setting('state_machine_arn')" in start_execution.state_machine_arn
    assert set(start_execution.state_machine_input) == {"run_date"}


def test_failure_callback_and_late_run_deadline(dag):
    from lakehouse_airflow import alerts

    assert dag.on_failure_callback == alerts.alert_failed_run
    [deadline] = dag.deadline
    assert type(deadline.reference).__name__ == "DagRunQueuedAtDeadline"
    assert deadline.interval == timedelta(hours=4)
    assert type(deadline.callback).__name__ == "SyncCallback"
    assert deadline.callback.path == "lakehouse_airflow.alerts.alert_late_run"


def test_a_recorded_execution_is_shown_on_the_local_target_only(monkeypatch):
    """`recorded_execution` (set by airflow/local_airflow.py for a lake's days) names a
    local execution record: the AWS target refuses it instead of starting a new one."""
    from airflow.sdk.exceptions import AirflowFailException

    dag = load_dag()
    assert dag.params["recorded_execution"] is None
    choose = dag.get_task("choose_target").python_callable
    monkeypatch.setenv("LAKEHOUSE_TARGET", "aws")
    with pytest.raises(AirflowFailException, match="names a local execution"):
        choose(dag_run=None, params={"recorded_execution": "lakehouse-2026-01-02"})
    assert choose(dag_run=None, params={}) == "start_execution"
    monkeypatch.setenv("LAKEHOUSE_TARGET", "local")
    assert choose(dag_run=None, params={"recorded_execution": "x"}) == "run_local_pipeline"
