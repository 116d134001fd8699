"""The DAG's helpers on their own: run date, execution name, settings, alerts."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pendulum
import pytest

pytestmark = pytest.mark.airflow

D = pendulum.datetime(2026, 1, 5, tz="UTC")
DAY_AFTER_D = D.add(days=1)


def dag_run(logical_date=D, run_after=DAY_AFTER_D, run_id="scheduled__2026-01-05", conf=None):
    return SimpleNamespace(
        logical_date=logical_date, run_after=run_after, run_id=run_id, conf=conf or {}
    )


def test_run_date_is_the_logical_date_else_run_after_else_the_param():
    from lakehouse_airflow.run_identity import run_date_of

    assert run_date_of(dag_run()) == "2026-01-05"
    assert run_date_of(dag_run(logical_date=None)) == "2026-01-06"
    assert run_date_of(dag_run(), {"run_date": "2025-12-31"}) == "2025-12-31"
    assert run_date_of(dag_run(), {"run_date": None}) == "2026-01-05"
    assert run_date_of({"logical_date": "2026-01-05T00:00:00Z", "run_after": None}) == "2026-01-05"


@pytest.mark.parametrize("value", ["2026-02-30", "20260105", "2026-1-5", "yesterday"])
def test_a_bad_run_date_param_is_refused(value):
    from lakehouse_airflow.run_identity import InvalidRunDateError, run_date_of

    with pytest.raises(InvalidRunDateError, match="YYYY-MM-DD"):
        run_date_of(dag_run(), {"run_date": value})


def test_execution_name_from_date_and_try_and_unique_per_run_for_other_dates():
    from lakehouse_airflow.run_identity import execution_name

    assert execution_name(dag_run(), {}, 1) == "lakehouse-2026-01-05-try1"
    assert execution_name(dag_run(), {}, 3) == "lakehouse-2026-01-05-try3"

    rerun = execution_name(dag_run(run_id="manual__a"), {"run_date": "2026-01-04"}, 1)
    other = execution_name(dag_run(run_id="manual__b"), {"run_date": "2026-01-04"}, 1)
    no_logical_date = execution_name(dag_run(logical_date=None), {}, 1)
    assert rerun.startswith("lakehouse-2026-01-04-") and rerun.endswith("-try1")
    assert rerun != other
    assert "lakehouse-2026-01-04-try1" not in (rerun, other)
    assert no_logical_date.startswith("lakehouse-2026-01-06-") and no_logical_date != (
        "lakehouse-2026-01-06-try1"
    )
    # Step Functions: at most 80 characters of [A-Za-z0-9-_]
    assert len(rerun) <= 80 and rerun.replace("-", "").isalnum()


def test_settings_variable_wins_over_env_and_default(monkeypatch):
    from lakehouse_airflow import settings

    assert settings.target() == "local"
    assert settings.LAKE_DIR.read() == str(settings.REPO_ROOT / ".lake")
    monkeypatch.setenv("LAKEHOUSE_TARGET", "aws")
    assert settings.target() == "aws"
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_TARGET", "local")
    assert settings.target() == "local"
    monkeypatch.setenv("AIRFLOW_VAR_LAKEHOUSE_TARGET", "gcp")
    with pytest.raises(ValueError, match="local, aws"):
        settings.target()
    with pytest.raises(settings.MissingSettingError, match="terraform .*output -raw"):
        settings.setting("state_machine_arn")


def test_late_run_alert_goes_to_the_local_outbox(tmp_path, monkeypatch):
    from lakehouse_airflow.alerts import alert_late_run

    from lakehouse.local.outbox import messages

    monkeypatch.setenv("LAKEHOUSE_LAKE_DIR", str(tmp_path))
    # The context Airflow gives a deadline callback: the run as JSON, and the deadline.
    alert_late_run(
        context={
            "dag_run": {
                "dag_id": "lakehouse_daily",
                "run_id": "scheduled__2026-01-05T00:00:00+00:00",
                "logical_date": "2026-01-05T00:00:00Z",
                "run_after": "2026-01-06T00:00:00Z",
                "state": "running",
                "conf": {},
            },
            "deadline": {"id": "x", "deadline_time": "2026-01-06T04:00:00Z"},
        }
    )

    [message] = messages(tmp_path)
    assert message["Subject"] == "lakehouse_daily is late for 2026-01-05"
    body = json.loads(message["Message"])
    assert body["event"] == "lakehouse_run_late"
    assert body["deadline"] == "2026-01-06T04:00:00Z"


def test_a_run_that_failed_before_its_deadline_is_not_also_late(tmp_path, monkeypatch):
    """Airflow 3.3.2 prunes a DAG run's deadlines on success only (`DagRun.update_state`),
    so the callback is still called for a run that failed (and alerted) hours earlier."""
    from lakehouse_airflow.alerts import alert_late_run

    from lakehouse.local.outbox import messages

    monkeypatch.setenv("LAKEHOUSE_LAKE_DIR", str(tmp_path))
    dag_run = {"dag_id": "lakehouse_daily", "run_id": "scheduled__2026-01-05T00:00:00+00:00"}
    dag_run |= {"logical_date": "2026-01-05T00:00:00Z", "conf": {}}
    deadline = {"id": "x", "deadline_time": "2026-01-06T04:00:00Z"}
    for state in ("failed", "success"):
        alert_late_run(context={"dag_run": {**dag_run, "state": state}, "deadline": deadline})
    assert messages(tmp_path) == []
    alert_late_run(context={"dag_run": {**dag_run, "state": "queued"}, "deadline": deadline})
    assert len(messages(tmp_path)) == 1


def test_a_run_showing_a_recorded_execution_sends_no_second_alert(tmp_path, monkeypatch):
    """The recorded execution alerted when it ran; its DAG run's failure repeats nothing."""
    from lakehouse_airflow.alerts import alert_failed_run

    from lakehouse.local.outbox import messages

    monkeypatch.setenv("LAKEHOUSE_LAKE_DIR", str(tmp_path))
    dag = SimpleNamespace(dag_id="lakehouse_daily")
    recorded = {"run_date": "2026-01-04", "recorded_execution": "lakehouse-2026-01-04"}
    alert_failed_run({"dag": dag, "dag_run": dag_run(conf=recorded), "reason": "task_failure"})
    assert messages(tmp_path) == []
    alert_failed_run({"dag": dag, "dag_run": dag_run(), "reason": "task_failure"})
    assert [m["Subject"] for m in messages(tmp_path)] == ["lakehouse_daily failed for 2026-01-05"]
