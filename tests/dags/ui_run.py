"""The browser test's Airflow: started with airflow/local_airflow.py (what `make airflow`
runs) on a tiny generated lake, with one run triggered through the REST API.

Starting it and running the pipeline takes minutes, so conftest.py starts it at the
beginning of the DAG tests and the run proceeds while the other tests run."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.dags.airflow_helpers import (
    DAG_ID,
    REPO_ROOT,
    free_port,
    generate_day,
    http_json,
    wait_until,
)

DAG_PARSED_TIMEOUT_SECONDS = 180
RUN_TIMEOUT_SECONDS = 600
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=15000",
    "--window-size=1400,900",
]


def ensure_chromium() -> Path:
    """Debian's chromium, installed with apt-get when missing (needs root)."""
    if not CHROMIUM.exists():
        installed = subprocess.run(
            ["bash", "-c", "apt-get update && apt-get install -y chromium"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            check=False,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if installed.returncode != 0:
            raise RuntimeError(f"apt-get install chromium failed:\n{installed.stderr[-2000:]}")
    return CHROMIUM


def chromium(profile_dir: Path, *args: str) -> str:
    result = subprocess.run(
        [str(ensure_chromium()), *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return result.stdout


def load_launcher():
    spec = importlib.util.spec_from_file_location(
        "local_airflow", REPO_ROOT / "airflow" / "local_airflow.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class TriggeredRun:
    url: str
    day: dt.date
    lake: Path
    home: Path
    run_id: str
    processes: list = field(default_factory=list)

    @property
    def api(self) -> str:
        return f"{self.url}/api/v2"

    def wait_until_finished(self) -> dict[str, Any]:
        def finished():
            run = http_json(f"{self.api}/dags/{DAG_ID}/dagRuns/{self.run_id}")
            return run if run["state"] in ("success", "failed") else None

        return wait_until(finished, RUN_TIMEOUT_SECONDS, "the triggered run", 3.0)

    def task_states(self) -> dict[str, str]:
        url = f"{self.api}/dags/{DAG_ID}/dagRuns/{self.run_id}/taskInstances"
        return {ti["task_id"]: ti["state"] for ti in http_json(url)["task_instances"]}

    def stop(self) -> None:
        load_launcher().stop(self.home)
        for process in self.processes:
            process.wait(timeout=60)


def new_home(migrated_home: Path, pristine_db: Path, home: Path) -> Path:
    """A home for a server started with ``migrate=False``: the session's migrated database
    and its configuration (secrets included) moved there, no second `airflow db migrate`."""
    home.mkdir(parents=True)
    shutil.copyfile(pristine_db, home / "airflow.db")
    config = (migrated_home / "airflow.cfg").read_text("utf-8")
    (home / "airflow.cfg").write_text(config.replace(str(migrated_home), str(home)), "utf-8")
    return home


# Parse once: re-parsing every 30 s competes with the runs for 2 cores.
PARSE_ONCE = {"AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "600"}


def start_and_trigger(migrated_home: Path, pristine_db: Path, base_dir: Path) -> TriggeredRun:
    """Start Airflow in a new home under base_dir and trigger one run of today (UTC)."""
    home = new_home(migrated_home, pristine_db, base_dir / "airflow-home")
    lake = base_dir / "lake"
    # Today: the DAG starts today, so the scheduler makes no run of its own during the
    # test (today's run is due tomorrow) and the triggered run is the only one.
    day = dt.datetime.now(dt.UTC).date()
    # A clean day: the run must pass the gate whatever today's date is. With defects, a
    # date whose draw drops one currency's FX row blocks it (fx_rate_coverage: one day
    # has no earlier rates to carry forward); defects are tested by the other suites.
    generate_day(lake, day, defect_rate=0.0)
    port = free_port()
    launcher = load_launcher()
    processes = launcher.start(
        home,
        port,
        lake,
        extra_env={
            "LAKEHOUSE_START_DATE": day.isoformat(),
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            **PARSE_ONCE,
        },
        migrate=False,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: http_json(f"{url}/api/v2/dags/{DAG_ID}"),
            DAG_PARSED_TIMEOUT_SECONDS,
            "the DAG parsed",
        )
        triggered = http_json(
            f"{url}/api/v2/dags/{DAG_ID}/dagRuns", "POST", {"logical_date": f"{day}T00:00:00Z"}
        )
    except Exception:
        launcher.stop(home)
        raise
    return TriggeredRun(url, day, lake, home, triggered["dag_run_id"], processes)
