"""What a person sees in the terminal of `lakehouse run`: the progress lines and the
summary, no JSON log lines; the structured log in a file under the lake (its path
printed once), or on stderr with `--log-format json`; Spark's own warnings in
<lake>/_local/logs/spark.log, never in the terminal."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lakehouse.generate import GeneratorConfig, generate
from lakehouse.local.run_cli import LOG_FILE, SPARK_LOG_FILE

pytestmark = pytest.mark.slow
DAY = "2026-05-01"
# log4j's line shape (yy/MM/dd HH:mm:ss LEVEL logger: message) and Spark's start-up banner
SPARK_LINE = re.compile(
    r"^\d\d/\d\d/\d\d \d\d:\d\d:\d\d (WARN|INFO|DEBUG) |default log level|sc\.setLogLevel"
)


def lakehouse(*argv: str) -> subprocess.CompletedProcess[str]:
    """The command line in its own process, as a person runs it (its own Spark driver)."""
    return subprocess.run(
        [sys.executable, "-m", "lakehouse.cli", *argv],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, subprocess.CompletedProcess]:
    lake = tmp_path_factory.mktemp("terminal")
    generate(
        GeneratorConfig(
            out=lake,
            start=dt.date.fromisoformat(DAY),
            days=1,
            orders_per_day=30,
            customers=15,
            defect_rate=0.0,
            seed=8,
        )
    )
    text = lakehouse("run", "--lake", str(lake), "--date", DAY)
    as_json = lakehouse(
        "run", "--lake", str(lake), "--date", DAY, "--rerun", "--log-format", "json"
    )
    return lake, text, as_json


def test_the_terminal_shows_progress_and_summary_without_json_lines(runs) -> None:
    lake, text, _ = runs
    assert text.returncode == 0, text.stderr[-3000:]
    lines = (text.stdout + text.stderr).splitlines()
    assert not [line for line in lines if line.lstrip().startswith("{")], "JSON log lines"
    assert any(f"{DAY} bronze" in line and "done at" in line for line in lines), lines
    assert any(line.startswith("date ") and "outcome" in line for line in lines), lines
    assert text.stderr.count("structured log: ") == 1
    assert f"structured log: {lake / LOG_FILE}" in text.stderr


def test_spark_warnings_go_to_a_file_under_the_lake_not_the_terminal(runs) -> None:
    lake, text, as_json = runs
    for run in (text, as_json):
        spark_lines = [x for x in (run.stdout + run.stderr).splitlines() if SPARK_LINE.search(x)]
        assert spark_lines == []
    # the warnings a local Spark always gives (no native Hadoop library) are kept
    assert " WARN " in (lake / SPARK_LOG_FILE).read_text("utf-8")


def test_the_structured_log_is_in_a_file_under_the_lake(runs) -> None:
    lake, _, _ = runs
    events = [json.loads(line) for line in (lake / LOG_FILE).read_text("utf-8").splitlines()]
    kinds = {e["event"] for e in events}
    assert {"execution_started", "job_run_started", "job_run_finished"} <= kinds, kinds


def test_log_format_json_puts_the_structured_log_on_stderr(runs) -> None:
    _, _, as_json = runs
    assert as_json.returncode == 0, as_json.stderr[-3000:]
    events = [json.loads(x) for x in as_json.stderr.splitlines() if x.startswith("{")]
    assert {"execution_started", "job_run_finished"} <= {e["event"] for e in events}
    assert "structured log: " not in as_json.stderr
