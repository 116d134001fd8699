"""Airflow, isolated: a temporary AIRFLOW_HOME with its own SQLite database for the
whole test session, no example DAGs, the project's DAG folder.

Airflow reads its configuration when it is first imported, so the environment is set
here, when pytest loads this conftest (before any test module imports Airflow).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.dags.airflow_helpers import DAGS_FOLDER, VENV_BIN

if "airflow" in sys.modules:  # pragma: no cover - a guard, not a code path
    raise RuntimeError("Airflow was imported before tests/dags/conftest.py isolated it")

AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="lakehouse-airflow-tests-"))
atexit.register(shutil.rmtree, AIRFLOW_HOME, ignore_errors=True)
AIRFLOW_ENV = {
    "AIRFLOW_HOME": str(AIRFLOW_HOME),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{AIRFLOW_HOME / 'airflow.db'}",
}
os.environ.update(AIRFLOW_ENV)
# What Airflow does for a DAG bundle: its folder is importable (the helper package).
if str(DAGS_FOLDER) not in sys.path:
    sys.path.insert(0, str(DAGS_FOLDER))
# The DAG's settings may be set in a developer's shell: the tests set their own.
DAG_SETTINGS = ("TARGET", "LAKE_DIR", "AWS_CONN_ID", "STATE_MACHINE_ARN", "ALERTS_TOPIC_ARN")
for setting in DAG_SETTINGS:
    os.environ.pop(f"LAKEHOUSE_{setting}", None)
    os.environ.pop(f"AIRFLOW_VAR_LAKEHOUSE_{setting}", None)
os.environ.pop("AIRFLOW_CONN_AWS_DEFAULT", None)


@dataclass(frozen=True)
class AirflowTestHome:
    home: Path
    pristine_db: Path  # a copy of the freshly migrated database, for servers started later


@pytest.fixture(scope="session")
def airflow_home() -> AirflowTestHome:
    """`airflow db migrate` once per session."""
    subprocess.run(
        [str(VENV_BIN / "airflow"), "db", "migrate"],
        env={**os.environ, **AIRFLOW_ENV},
        check=True,
        capture_output=True,
        timeout=300,
    )
    pristine_db = AIRFLOW_HOME / "pristine.db"
    shutil.copyfile(AIRFLOW_HOME / "airflow.db", pristine_db)
    return AirflowTestHome(AIRFLOW_HOME, pristine_db)


@pytest.fixture(scope="session")
def triggered_ui_run(airflow_home, tmp_path_factory):
    """Local Airflow with one triggered run, for the browser test (see ui_run.py)."""
    from tests.dags.ui_run import ensure_chromium, start_and_trigger

    run = start_and_trigger(
        airflow_home.home, airflow_home.pristine_db, tmp_path_factory.mktemp("ui-run")
    )
    ensure_chromium()  # apt-get install on a fresh machine: while the run runs
    yield run
    run.stop()


@pytest.fixture(scope="session", autouse=True)
def start_the_ui_run_early(request):
    """The browser test's run takes minutes: when that test is selected, start Airflow
    and trigger the run before the other DAG tests, so that it runs while they do."""
    if any(item.get_closest_marker("browser") for item in request.session.items):
        # A failure here belongs to the browser test alone: pytest keeps the fixture's
        # error and raises it again when that test asks for the fixture.
        with contextlib.suppress(Exception):
            request.getfixturevalue("triggered_ui_run")


@pytest.fixture(scope="session", autouse=True)
def stop_spark_started_by_the_local_target():
    """`dag.test()` on the local target starts Spark in this process; stop it at the end
    (tests/conftest.py's `spark` fixture stops it too when it was used: harmless)."""
    yield
    if "pyspark" in sys.modules:
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is not None:
            active.stop()
        # py4j logs "Closing down clientserver connection" from __del__ at interpreter
        # exit, when Airflow's log handlers are already closed: a traceback, no error.
        logging.getLogger("py4j").setLevel(logging.WARNING)
