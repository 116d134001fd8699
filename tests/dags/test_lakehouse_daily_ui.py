"""The real thing: Airflow's api-server, scheduler and dag-processor (started the way
`make airflow` starts them) run a triggered run of the DAG on the local target, and the
DAG's page in headless Chromium shows it. Saves the page as docs/airflow-dag.png."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.dags.airflow_helpers import (
    DAG_ID,
    REPO_ROOT,
    free_port,
    generate_day,
    http_json,
    wait_until,
)

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = REPO_ROOT / "docs" / "airflow-dag.png"
DAG_PARSED_TIMEOUT_SECONDS = 180
RUN_TIMEOUT_SECONDS = 600
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
    if not CHROMIUM.exists():
        subprocess.run(
            ["bash", "-c", "apt-get update && apt-get install -y chromium"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            check=True,
            capture_output=True,
            timeout=900,
        )
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


class _PageReader(HTMLParser):
    """The rendered page's visible text, and the states its state badges show (a badge
    is an icon: its state is only in its aria-label)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.state_badges: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")
        attributes = dict(attrs)
        if attributes.get("data-testid") == "state-badge":
            self.state_badges.append(attributes.get("aria-label", ""))

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def read_page(html: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(html)
    return reader


def load_launcher():
    spec = importlib.util.spec_from_file_location(
        "local_airflow", REPO_ROOT / "airflow" / "local_airflow.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def local_airflow(airflow_home, tmp_path_factory):
    launcher = load_launcher()
    home = tmp_path_factory.mktemp("airflow-ui")
    # The session's freshly migrated database and its configuration (secrets included),
    # moved to this home: no second `airflow db migrate`.
    shutil.copyfile(airflow_home.pristine_db, home / "airflow.db")
    config = (airflow_home.home / "airflow.cfg").read_text("utf-8")
    (home / "airflow.cfg").write_text(config.replace(str(airflow_home.home), str(home)), "utf-8")
    lake = tmp_path_factory.mktemp("lake-ui")
    # Today (UTC): the DAG starts today, so the scheduler makes no run of its own during
    # the test (the run of today is due tomorrow) and the triggered run is the only one.
    day = dt.datetime.now(dt.UTC).date()
    generate_day(lake, day)
    port = free_port()
    processes = launcher.start(
        home,
        port,
        lake,
        extra_env={
            "LAKEHOUSE_START_DATE": day.isoformat(),
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            # Parse once: re-parsing every 30 s competes with the run for 2 cores.
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "600",
        },
        migrate=False,
    )
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", day=day, lake=lake, home=home)
    finally:
        launcher.stop(home)
        for process in processes:
            process.wait(timeout=60)


def finished_run(api: str, run_id: str):
    run = http_json(f"{api}/dags/{DAG_ID}/dagRuns/{run_id}")
    return run if run["state"] in ("success", "failed") else None


def test_a_triggered_run_succeeds_and_the_dag_page_shows_it(local_airflow, tmp_path):
    from lakehouse.local.catalog import LocalGlueCatalog

    api = f"{local_airflow.url}/api/v2"
    day = local_airflow.day.isoformat()
    wait_until(lambda: http_json(f"{api}/dags/{DAG_ID}"), DAG_PARSED_TIMEOUT_SECONDS, "DAG parsed")

    triggered = http_json(
        f"{api}/dags/{DAG_ID}/dagRuns", "POST", {"logical_date": f"{day}T00:00:00Z"}
    )
    run_id = triggered["dag_run_id"]
    run = wait_until(lambda: finished_run(api, run_id), RUN_TIMEOUT_SECONDS, "triggered run", 3.0)

    task_instances = http_json(f"{api}/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances")
    states = {ti["task_id"]: ti["state"] for ti in task_instances["task_instances"]}
    assert run["state"] == "success", (states, local_airflow.home)
    assert states["run_local_pipeline"] == "success"
    assert states["start_execution"] == "skipped"
    gold = LocalGlueCatalog(local_airflow.lake).get_partitions(
        DatabaseName="gold", TableName="daily_sales"
    )
    assert [day] in [p["Values"] for p in gold["Partitions"]]

    page = f"{local_airflow.url}/dags/{DAG_ID}"
    rendered = read_page(chromium(tmp_path / "profile-dom", "--dump-dom", page))
    assert f"Dag {DAG_ID}" in rendered.text, rendered.text[:2000]
    assert f"Latest Run {run['run_after'][:10]}" in rendered.text, rendered.text[:2000]
    assert "0 Failed Runs" in rendered.text
    assert "success" in rendered.state_badges, rendered.state_badges

    screenshot = tmp_path / "airflow-dag.png"
    chromium(tmp_path / "profile-shot", f"--screenshot={screenshot}", page)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000  # a rendered page, not a blank one
    shutil.copyfile(screenshot, SCREENSHOT)
