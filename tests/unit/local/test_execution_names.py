"""Execution names (run ids) are never reused, locally as on AWS: StartExecution with
the name of a closed execution fails with ExecutionAlreadyExists
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
Gold stages under the run id, so a reused id would overwrite what readers point at."""

from __future__ import annotations

import json

import pytest

from lakehouse.local.executions import (
    ExecutionAlreadyExistsError,
    _next_rerun_name,
    default_execution_name,
    executions_dir,
    run_pipeline,
)


def _record(lake, name: str, status: str = "SUCCEEDED") -> None:
    folder = executions_dir(lake)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(
        json.dumps(
            {
                "name": name,
                "run_date": "2026-01-01",
                "status": status,
                "output": None,
                "error": None,
                "cause": None,
                "start_date": "2026-01-01T00:00:00Z",
                "stop_date": "2026-01-01T00:01:00Z",
                "history": [],
            }
        ),
        "utf-8",
    )


def test_an_explicit_name_that_already_ran_is_refused(tmp_path) -> None:
    """What the Airflow local target passes (lakehouse-<date>-try<n>)."""
    _record(tmp_path, "lakehouse-2026-01-01-try1")
    with pytest.raises(ExecutionAlreadyExistsError, match="already exists"):
        run_pipeline(tmp_path, "2026-01-01", execution_name="lakehouse-2026-01-01-try1")


def test_a_date_that_already_ran_returns_that_run_and_a_rerun_takes_a_new_name(
    tmp_path,
) -> None:
    _record(tmp_path, default_execution_name("2026-01-01"))
    again = run_pipeline(tmp_path, "2026-01-01")
    assert again.name == "lakehouse-2026-01-01" and again.status == "SUCCEEDED"
    assert _next_rerun_name(tmp_path, "2026-01-01") == "lakehouse-2026-01-01-r2"
    _record(tmp_path, "lakehouse-2026-01-01-r2", status="ABORTED")
    assert _next_rerun_name(tmp_path, "2026-01-01") == "lakehouse-2026-01-01-r3"
