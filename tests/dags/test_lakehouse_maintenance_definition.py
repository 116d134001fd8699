"""The maintenance DAG parses cleanly and without I/O, and has the promised shape."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest

from tests.dags.airflow_helpers import parse_dag_folder_refusing_io

pytestmark = pytest.mark.airflow
MAINTENANCE_DAG_ID = "lakehouse_maintenance"


@pytest.fixture(scope="module")
def dag():
    dagbag = parse_dag_folder_refusing_io()
    assert dagbag.import_errors == {}
    return dagbag.dags[MAINTENANCE_DAG_ID]


def test_the_folder_parses_both_dags_without_io_or_heavy_imports(dag):
    dagbag = parse_dag_folder_refusing_io()
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dags) == ["lakehouse_daily", MAINTENANCE_DAG_ID]


def test_tasks_and_their_order(dag):
    downstream = {task.task_id: sorted(task.downstream_task_ids) for task in dag.tasks}

    assert downstream == {
        "choose_target": ["run_local_maintenance", "start_maintenance_job"],
        "run_local_maintenance": [],
        "start_maintenance_job": ["wait_for_maintenance_job"],
        "wait_for_maintenance_job": [],
    }


def test_weekly_no_catch_up_one_run_at_a_time(dag):
    assert type(dag.timetable).__name__ == "CronTriggerTimetable"
    assert dag.timetable.expression == "0 4 * * 0"
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    assert dag.params["dry_run"] is False
    assert dag.params["min_files"] == 2


def test_the_aws_path_starts_the_glue_job_and_waits_without_a_worker_slot(dag):
    start = dag.get_task("start_maintenance_job")
    wait = dag.get_task("wait_for_maintenance_job")

    assert start.wait_for_completion is False
    assert set(start.script_args) == {
        "--dry_run",
        "--min_files",
        "--ops_database",
        "--run_lock_table",
    }
    assert "run_lock_table" in start.script_args["--run_lock_table"]
    assert wait.mode == "reschedule"
    assert wait.retries == 0
    assert dag.default_args["retries"] >= 1
    assert dag.default_args["retry_delay"] >= timedelta(minutes=10)


def test_choose_target_follows_the_setting(dag, monkeypatch):
    from airflow.sdk import Variable

    task = dag.get_task("choose_target")
    with mock.patch.object(Variable, "get", return_value=None):
        monkeypatch.setenv("LAKEHOUSE_TARGET", "aws")
        assert task.python_callable() == "start_maintenance_job"
        monkeypatch.setenv("LAKEHOUSE_TARGET", "local")
        assert task.python_callable() == "run_local_maintenance"
