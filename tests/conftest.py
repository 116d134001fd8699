"""Shared fixtures and the run's shape.

- ONE local Spark session per test process (`spark`).
- `make test` runs two pytest-xdist workers (`-n 2`). Tests are handed out in groups
  (`pytest_xdist_make_scheduler` below), so that what shares an expensive fixture stays
  in one process:
  a whole suite (infra's applied moto stack, the DAG suite's Airflow, the unit suites)
  or one integration module (its module fixtures), the modules that share a lake of
  tests/integration/conftest.py together (`SHARED_LAKE_GROUPS`). Groups are handed out
  longest first (infra, then the integration modules), each keeping its tests in file
  order.
- `figure(line)` records a figure a test measured (a count, a conformance size); every
  recorded line is printed at the end of the run, with or without workers.
- The run ends with the time per suite.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Spark workers must use this interpreter (the project venv), not whatever is on PATH.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


@pytest.fixture(scope="session")
def spark():
    from lakehouse.spark import local_session

    session = local_session("lakehouse-tests")
    yield session
    session.stop()


# -- xdist groups: what shares an expensive fixture runs in one worker ----------------
# Integration modules that share a session fixture of tests/integration/conftest.py (a
# lake run through several days), by group name.
SHARED_LAKE_GROUPS = {
    "rolled_back": ("tests/integration/test_rollback.py", "tests/integration/test_maintenance.py"),
}
_SHARED_LAKE_GROUP = {path: name for name, paths in SHARED_LAKE_GROUPS.items() for path in paths}
# Handed out first: the longest groups (LPT order keeps the two workers' ends close).
FIRST = ("infra", "integration", "dags")


def _group(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    suite = _suite(nodeid)
    if suite != "integration":
        return suite
    return f"integration/{_SHARED_LAKE_GROUP.get(path, Path(path).name)}"


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: absent under -p no:xdist
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Hand out whole groups (:func:`_group`), FIRST's suites first. A custom scope, not
    ``--dist loadgroup``: xdist 3.8 marks groups by renaming node ids, which pytest 9.2's
    structured node ids ignore (every test was scheduled alone)."""
    from xdist.scheduler import LoadScopeScheduling

    rank = {suite: i for i, suite in enumerate(FIRST)}

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _group(nodeid)

        def _assign_work_unit(self, node) -> None:
            # xdist queues the groups with the most tests first; hand out FIRST's first
            for scope in sorted(self.workqueue, key=lambda g: rank.get(g.split("/")[0], 9)):
                self.workqueue.move_to_end(scope)
            super()._assign_work_unit(node)

    return SharedFixtureScheduling(config, log)


# -- figures a test measured, printed at the end (workers' stdout is not shown) -------
_FIGURES: dict[tuple[str, str], None] = {}


@pytest.fixture
def figure(request: pytest.FixtureRequest):
    """``figure("kill points tried: 94")`` prints that line in the run's summary."""

    def record(line: str) -> None:
        request.node.user_properties.append(("figure", line))

    return record


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
    for key, line in report.user_properties:
        if key == "figure":
            _FIGURES[(report.nodeid, line)] = None


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter) -> None:
    if _FIGURES:
        terminalreporter.write_sep("=", "figures measured by the tests")
        for _, line in _FIGURES:
            terminalreporter.write_line(line)
    if not _SUITE_SECONDS:
        return
    per_suite = sorted(_SUITE_SECONDS.items(), key=lambda item: -item[1])
    terminalreporter.write_sep("=", "time per suite (setup + call + teardown; summed over workers)")
    for suite, seconds in per_suite:
        terminalreporter.write_line(f"{suite:<20} {seconds:8.1f} s")
