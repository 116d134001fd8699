"""After `make run`, `make airflow` shows the days the lake already ran as DAG runs of
lakehouse_daily, each with its execution's outcome: a day the gate blocked is a failed
run whose task log holds the alert the execution sent. Nothing runs again and no alert is
sent twice. The real components are started the way `make airflow` starts them
(airflow/local_airflow.py `start_on_lake`); the DAG page is rendered in headless Chromium
and saved as docs/airflow-lake-runs.png."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.dags.airflow_helpers import DAG_ID, REPO_ROOT, free_port, http_json, wait_until
from tests.dags.test_lakehouse_daily_ui import read_page
from tests.dags.ui_run import PARSE_ONCE, chromium, load_launcher, new_home

pytestmark = pytest.mark.browser

GOOD_DAY, BLOCKED_DAY = dt.date(2026, 1, 1), dt.date(2026, 1, 2)
SCREENSHOT = REPO_ROOT / "docs" / "airflow-lake-runs.png"
RUNS_TIMEOUT_SECONDS = 300


def lake_state(lake: Path) -> dict[str, object]:
    """What a rerun or a second alert would change: execution records, the SNS outbox."""
    from lakehouse.local.outbox import outbox_file

    executions = lake / "_local" / "executions"
    return {
        "executions": {p.name: p.stat().st_mtime_ns for p in sorted(executions.glob("*.json"))},
        "outbox": outbox_file(lake).read_text("utf-8"),
    }


@pytest.fixture(scope="module")
def lake_ran_outside_airflow(tmp_path_factory) -> Path:
    """Two days run as `make run` runs them: the first publishes, the second carries a
    defect burst and its gate blocks it."""
    from lakehouse.generate import GeneratorConfig, generate
    from lakehouse.local.executions import run_pipeline

    lake = tmp_path_factory.mktemp("lake-runs") / "lake"
    generate(
        GeneratorConfig(
            out=lake,
            start=GOOD_DAY,
            days=2,
            orders_per_day=200,
            customers=100,
            defect_rate=0.0,
            seed=5,
            bursts={BLOCKED_DAY: 0.5},
        )
    )
    outcomes = {day: run_pipeline(lake, day.isoformat()).status for day in (GOOD_DAY, BLOCKED_DAY)}
    assert outcomes == {GOOD_DAY: "SUCCEEDED", BLOCKED_DAY: "FAILED"}
    return lake


@pytest.fixture(scope="module")
def airflow_on_the_lake(airflow_home, lake_ran_outside_airflow, tmp_path_factory):
    launcher = load_launcher()
    home = new_home(
        airflow_home.home, airflow_home.pristine_db, tmp_path_factory.mktemp("lake-runs-home") / "h"
    )
    before = lake_state(lake_ran_outside_airflow)
    port = free_port()
    _, registered = launcher.start_on_lake(
        home, port, lake_ran_outside_airflow, extra_env=PARSE_ONCE, migrate=False
    )
    try:
        yield f"http://127.0.0.1:{port}", registered, before
    finally:
        launcher.stop(home)


def finished_runs(api: str) -> dict[str, dict] | None:
    runs = http_json(f"{api}/dags/{DAG_ID}/dagRuns?limit=50")["dag_runs"]
    if all(run["state"] in ("success", "failed") for run in runs):
        return {run["logical_date"][:10]: run for run in runs}
    return None


def task_log(api: str, run_id: str, task_id: str) -> str:
    url = f"{api}/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{task_id}/logs/1"
    content = http_json(url, headers={"Accept": "application/json"})["content"]
    return "\n".join(str(line.get("event", "")) for line in content)


def test_the_lakes_days_are_dag_runs_with_their_outcome_and_nothing_runs_again(
    airflow_on_the_lake, lake_ran_outside_airflow, tmp_path
):
    from lakehouse.local.executions import latest_runs

    url, registered, before = airflow_on_the_lake
    api = f"{url}/api/v2"
    executions = latest_runs(lake_ran_outside_airflow)
    assert registered == {GOOD_DAY.isoformat(): "registered", BLOCKED_DAY.isoformat(): "registered"}

    runs = wait_until(lambda: finished_runs(api), RUNS_TIMEOUT_SECONDS, "the registered runs", 3.0)

    # The scheduler's catch-up passes over the lake's dates (each has its run) and ends at
    # the DAG's end date, the lake's last day: no run of its own.
    dag = wait_until(
        lambda: (d := http_json(f"{api}/dags/{DAG_ID}"))["next_dagrun_logical_date"] is None and d,
        RUNS_TIMEOUT_SECONDS,
        "the catch-up past the lake's last day",
        3.0,
    )
    assert dag["is_paused"] is False
    runs = finished_runs(api)
    assert sorted(runs) == [GOOD_DAY.isoformat(), BLOCKED_DAY.isoformat()]
    good, blocked = runs[GOOD_DAY.isoformat()], runs[BLOCKED_DAY.isoformat()]
    assert good["dag_run_id"] == f"recorded__{executions[GOOD_DAY.isoformat()].name}"
    assert (good["state"], blocked["state"]) == ("success", "failed")

    log = task_log(api, blocked["dag_run_id"], "run_local_pipeline")
    assert f"alert the execution sent: lakehouse {BLOCKED_DAY}: validation gate blocked" in log
    assert "ValidationGateFailed" in log
    assert "shown, not run again" in log

    # Nothing ran again, nothing was sent twice.
    assert lake_state(lake_ran_outside_airflow) == before
    # Registering again (a second `make airflow` on the same home) adds nothing.
    again = load_launcher().register_lake_runs(
        url, load_launcher().lake_runs(lake_ran_outside_airflow), unpause=False
    )
    assert set(again.values()) == {"already has a run"}
    assert len(http_json(f"{api}/dags/{DAG_ID}/dagRuns")["dag_runs"]) == 2

    page = f"{url}/dags/{DAG_ID}"
    rendered = read_page(chromium(tmp_path / "profile-dom", "--dump-dom", page))
    assert "1 Failed Run" in rendered.text, rendered.text[:2000]
    screenshot = tmp_path / "airflow-lake-runs.png"
    chromium(tmp_path / "profile-shot", f"--screenshot={screenshot}", page)
    assert screenshot.stat().st_size > 20_000
    shutil.copyfile(screenshot, SCREENSHOT)
