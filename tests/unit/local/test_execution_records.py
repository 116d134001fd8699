"""Which execution stands for a date (what `make airflow` registers and the run report
shows), and the alerts an execution sent, read from its own history."""

from __future__ import annotations

import json
import os

from lakehouse.local.executions import (
    LocalExecution,
    executions_dir,
    latest_runs,
    sent_alerts,
)


def started(execution_input: dict) -> dict:
    return {
        "type": "ExecutionStarted",
        "executionStartedEventDetails": {"input": json.dumps(execution_input)},
    }


def publish(subject: str, message: str) -> dict:
    parameters = {"TopicArn": "arn:aws:sns:local:000000000000:t", "Subject": subject}
    parameters["Message"] = message
    details = {"resourceType": "sns", "resource": "publish"}
    details["parameters"] = json.dumps(parameters)
    return {"type": "TaskScheduled", "taskScheduledEventDetails": details}


def record(lake, name, run_date, status, history, mtime):
    execution = LocalExecution(
        name=name,
        run_date=run_date,
        status=status,
        output=None,
        error=None,
        cause=None,
        start_date="2026-01-03T00:00:00Z",
        stop_date=None,
        history=history,
    )
    path = executions_dir(lake) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(execution.to_dict(with_history=True)), "utf-8")
    os.utime(path, (mtime, mtime))  # list_executions orders by modification time


def test_a_dates_latest_finished_run_stands_for_it(tmp_path):
    run = {"run_date": "2026-01-02"}
    record(tmp_path, "landing-1", "2026-01-02", "SUCCEEDED", [started({})], 1)  # handover
    record(tmp_path, "lakehouse-2026-01-02", "2026-01-02", "FAILED", [started(run)], 2)
    record(tmp_path, "lakehouse-2026-01-02-r2", "2026-01-02", "SUCCEEDED", [started(run)], 3)
    rollback = {**run, "rollback": True}
    record(
        tmp_path, "lakehouse-2026-01-02-rollback", "2026-01-02", "SUCCEEDED", [started(rollback)], 4
    )
    record(
        tmp_path,
        "lakehouse-2026-01-01",
        "2026-01-01",
        "FAILED",
        [started({"run_date": "2026-01-01"})],
        5,
    )
    record(
        tmp_path,
        "lakehouse-2026-01-03",
        "2026-01-03",
        "RUNNING",
        [started({"run_date": "2026-01-03"})],
        6,
    )

    runs = latest_runs(tmp_path)

    assert {day: e.name for day, e in runs.items()} == {
        "2026-01-01": "lakehouse-2026-01-01",
        "2026-01-02": "lakehouse-2026-01-02-r2",
    }
    assert list(runs) == ["2026-01-01", "2026-01-02"]


def test_the_alerts_an_execution_sent_come_from_its_sns_publish_tasks():
    history = [
        started({"run_date": "2026-01-04"}),
        publish("lakehouse 2026-01-04: validation gate blocked publish", "Run ... NOT published"),
        {
            "type": "TaskScheduled",
            "taskScheduledEventDetails": {
                "resourceType": "glue",
                "resource": "startJobRun.sync",
                "parameters": "{}",
            },
        },
        publish("second", "2"),
    ]
    execution = LocalExecution("n", "2026-01-04", "FAILED", None, None, None, "s", None, history)

    assert sent_alerts(execution) == [
        {
            "Subject": "lakehouse 2026-01-04: validation gate blocked publish",
            "Message": "Run ... NOT published",
        },
        {"Subject": "second", "Message": "2"},
    ]
