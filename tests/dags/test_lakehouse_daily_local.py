"""`dag.test()` on the local target: the DAG runs the real state machine definition with
the local runtime over a tiny generated day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pendulum
import pytest

from tests.dags.airflow_helpers import (
    generate_day,
    load_dag,
    prepare_for_dag_test,
    published,
    task_states,
)

pytestmark = pytest.mark.airflow

GOOD_DAY = dt.date(2026, 1, 1)
BAD_DAY = dt.date(2026, 1, 2)  # a defect burst makes the validation gate fail


def run_local_dag(lake: Path, day: dt.date, monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_TARGET", "local")
    monkeypatch.setenv("LAKEHOUSE_LAKE_DIR", str(lake))
    dag = prepare_for_dag_test(load_dag())
    return dag.test(logical_date=pendulum.datetime(day.year, day.month, day.day, tz="UTC"))


def test_local_run_publishes_the_days_gold_partitions(airflow_home, tmp_path, monkeypatch):
    from lakehouse.local.outbox import messages

    generate_day(tmp_path, GOOD_DAY)

    dag_run = run_local_dag(tmp_path, GOOD_DAY, monkeypatch)

    assert str(dag_run.state) == "success", task_states(dag_run)
    assert task_states(dag_run) == {
        "resolve_run_date": "success",
        "choose_target": "success",
        "run_local_pipeline": "success",
        "start_execution": "skipped",
        "wait_for_execution": "skipped",
        "get_execution_output": "skipped",
        "log_run_summary": "skipped",
    }
    visible = published(tmp_path, "daily_sales")
    assert visible[GOOD_DAY.isoformat()] == f"lakehouse-{GOOD_DAY}-try1"
    assert set(visible.values()) == {f"lakehouse-{GOOD_DAY}-try1"}
    assert messages(tmp_path) == []


def test_a_failed_gate_fails_the_run_and_alerts(airflow_home, tmp_path, monkeypatch):
    from lakehouse.local.outbox import messages

    generate_day(tmp_path, BAD_DAY, burst=0.5)

    dag_run = run_local_dag(tmp_path, BAD_DAY, monkeypatch)

    assert str(dag_run.state) == "failed", task_states(dag_run)
    states = task_states(dag_run)
    assert states["run_local_pipeline"] == "failed"
    assert states["start_execution"] == "skipped"
    assert published(tmp_path, "daily_sales") == {}  # nothing reached readers
    [alert] = [m for m in messages(tmp_path) if m["Subject"].startswith("lakehouse_daily failed")]
    assert alert["Subject"] == f"lakehouse_daily failed for {BAD_DAY}"
    details = json.loads(alert["Message"])
    assert details["failed_task"] == "run_local_pipeline"
    assert details["target"] == "local"
    assert details["reason"] == "task_failure"
