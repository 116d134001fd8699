"""Shared fixtures: ONE local Spark session for the whole test run."""

from __future__ import annotations

import os
import sys

import pytest

# Spark workers must use this interpreter (the project venv), not whatever is on PATH.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


@pytest.fixture(scope="session")
def spark():
    from lakehouse.spark import local_session

    session = local_session("lakehouse-tests")
    yield session
    session.stop()


# -- where the time goes: seconds per suite (tests/<suite>/...) at the end of every run --
_SUITE_SECONDS: dict[str, float] = {}


def _suite(nodeid: str) -> str:
    parts = nodeid.split("::", 1)[0].split("/")
    if parts[0] == "tests":
        parts = parts[1:]
    return "/".join(parts[:2]) if parts and parts[0] == "unit" else parts[0]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    suite = _suite(report.nodeid)
    _SUITE_SECONDS[suite] = _SUITE_SECONDS.get(suite, 0.0) + report.duration


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter) -> None:
    if not _SUITE_SECONDS:
        return
    per_suite = sorted(_SUITE_SECONDS.items(), key=lambda item: -item[1])
    terminalreporter.write_sep("=", "time per suite (setup + call + teardown)")
    for suite, seconds in per_suite:
        terminalreporter.write_line(f"{suite:<20} {seconds:8.1f} s")
