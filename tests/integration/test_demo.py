"""`make run` (`lakehouse demo`) as the README's quick start runs it, at a small volume:
each day starts from its landing markers (the producer's `_COMPLETE`, delivered as S3 ->
EventBridge would: docs/adr/0012), the burst day is blocked by the gate, every other day
is published, and the terminal shows progress and the summary without JSON log lines or
Spark's warnings."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from lakehouse.local.run_cli import LOG_FILE, SPARK_LOG_FILE

pytestmark = pytest.mark.slow
START = "2026-03-02"
DAYS = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]  # the 4th carries the burst
SPARK_LINE = re.compile(r"^\d\d/\d\d/\d\d \d\d:\d\d:\d\d (WARN|INFO) |default log level")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    lake = tmp_path_factory.mktemp("demo") / "lake"
    done = subprocess.run(
        [sys.executable, "-m", "lakehouse.cli", "demo", "--lake", str(lake), "--start", START]
        + ["--days", "4", "--orders-per-day", "60", "--customers", "30"],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    return lake, done


def test_the_demo_ends_as_designed(demo) -> None:
    _, done = demo
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    assert f"As designed: {DAYS[3]} was BLOCKED by the validation gate" in done.stdout


def test_each_day_is_started_by_its_landing_markers(demo) -> None:
    _, done = demo
    for day in DAYS:
        assert re.search(
            rf"^  {day} landing markers complete: started lakehouse-{day}-landed-[0-9A-F]+$",
            done.stdout,
            re.M,
        ), done.stdout


def test_the_terminal_shows_progress_and_no_json_or_spark_lines(demo) -> None:
    lake, done = demo
    lines = (done.stdout + done.stderr).splitlines()
    assert any(f"{DAYS[0]} gold" in line and "done at" in line for line in lines), lines
    assert not [line for line in lines if line.lstrip().startswith("{")]
    assert not [line for line in lines if SPARK_LINE.search(line)]
    assert (lake / LOG_FILE).exists() and (lake / SPARK_LOG_FILE).exists()
    report = lake / "_local" / "report.html"
    assert f"HTML run report: {report.resolve()}" in done.stdout
    assert "Plotly.newPlot(" in report.read_text("utf-8")
