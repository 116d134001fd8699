"""The real thing: Airflow's api-server, scheduler and dag-processor (started the way
`make airflow` starts them) run a run of the DAG on the local target triggered through
the REST API (tests/dags/ui_run.py, started early by conftest.py), and the DAG's page in
headless Chromium shows it. Saves the page as docs/airflow-dag.png."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser

import pytest

from tests.dags.airflow_helpers import DAG_ID, REPO_ROOT, published
from tests.dags.ui_run import chromium

pytestmark = pytest.mark.browser

SCREENSHOT = REPO_ROOT / "docs" / "airflow-dag.png"


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


def test_a_triggered_run_succeeds_and_the_dag_page_shows_it(triggered_ui_run, tmp_path):
    run = triggered_ui_run.wait_until_finished()

    states = triggered_ui_run.task_states()
    assert run["state"] == "success", (states, triggered_ui_run.home)
    assert states["run_local_pipeline"] == "success"
    assert states["start_execution"] == "skipped"
    assert triggered_ui_run.day.isoformat() in published(triggered_ui_run.lake, "daily_sales")

    page = f"{triggered_ui_run.url}/dags/{DAG_ID}"
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
    triggered_ui_run.stop()  # now, not at the end of the whole session
