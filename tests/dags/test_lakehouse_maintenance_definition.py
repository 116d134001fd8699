"""The maintenance DAG parses cleanly and without I/O, and has the promised shape."""

from __future__ import annotations

import importlib.abc
import socket
import sys
from datetime import timedelta
from unittest import mock

import pytest

from tests.dags.airflow_helpers import DAGS_FOLDER

pytestmark = pytest.mark.airflow
MAINTENANCE_DAG_ID = "lakehouse_maintenance"
# What a DAG file must not import at parse time (task callables import them).
HEAVY_MODULES = ("pyspark", "duckdb", "lakehouse.local")


class _RefuseImports(importlib.abc.MetaPathFinder):
    def __init__(self, names: tuple[str, ...]):
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if any(fullname == name or fullname.startswith(name + ".") for name in self.names):
            raise ImportError(f"{fullname} imported while parsing the DAG file")


def _dagbag():
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk import Variable

    refused = [
        name
        for name in sys.modules
        if name.startswith(("lakehouse_airflow", *HEAVY_MODULES)) or "lakehouse_maint" in name
    ]
    with (
        mock.patch.dict(sys.modules),
        mock.patch.object(Variable, "get", side_effect=AssertionError("Variable.get at parse")),
        mock.patch.object(socket.socket, "connect", side_effect=AssertionError("network")),
    ):
        for name in refused:
            del sys.modules[name]  # re-imported under the guard, restored afterwards
        sys.meta_path.insert(0, _RefuseImports(HEAVY_MODULES))
        try:
            return DagBag(dag_folder=str(DAGS_FOLDER))
        finally:
            sys.meta_path.pop(0)


@pytest.fixture(scope="module")
def dag():
    dagbag = _dagbag()
    assert dagbag.import_errors == {}
    return dagbag.dags[MAINTENANCE_DAG_ID]


def test_the_folder_parses_both_dags_without_io_or_heavy_imports(dag):
    dagbag = _dagbag()
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
