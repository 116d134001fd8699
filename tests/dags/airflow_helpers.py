"""Helpers of the DAG tests (the environment itself is isolated in conftest.py)."""

from __future__ import annotations

import datetime as dt
import importlib.abc
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from unittest import mock

REPO_ROOT = Path(__file__).resolve().parents[2]
DAGS_FOLDER = REPO_ROOT / "airflow" / "dags"
VENV_BIN = Path(sys.executable).parent
DAG_ID = "lakehouse_daily"
# What a DAG file must not import at parse time (task callables import them).
HEAVY_MODULES = ("pyspark", "duckdb", "lakehouse.local")


def generate_day(lake: Path, day: dt.date, defect_rate: float = 0.02, burst: float | None = None):
    """One tiny day of sample data (a defect burst makes the validation gate fail)."""
    from lakehouse.generate import GeneratorConfig, generate

    generate(
        GeneratorConfig(
            out=lake,
            start=day,
            days=1,
            orders_per_day=200,
            customers=100,
            defect_rate=defect_rate,
            seed=5,
            bursts={day: burst} if burst is not None else {},
        )
    )


def published(lake: Path, table: str) -> dict[str, str]:
    """{partition value: run id} readers see of a gold table: the publication that
    ops.published_partitions points at (docs/adr/0007), through the local Athena."""
    from lakehouse.local.athena import LocalAthena

    athena = LocalAthena(lake)
    run = athena.run_sync(
        {
            "QueryString": "select partition_value, run_id from ops.published_partitions "
            f"where table_name = '{table}'",
            "QueryExecutionContext": {"Database": "ops"},
        }
    )
    rows = athena.get_query_results(QueryExecutionId=run["QueryExecution"]["QueryExecutionId"])
    return {
        r["Data"][0]["VarCharValue"]: r["Data"][1]["VarCharValue"]
        for r in rows["ResultSet"]["Rows"][1:]
    }


def load_dag():
    """A freshly parsed DAG object (tests may change it, e.g. a shorter poll interval)."""
    from airflow.dag_processing.dagbag import DagBag

    dagbag = DagBag(dag_folder=str(DAGS_FOLDER))
    assert dagbag.import_errors == {}
    return dagbag.dags[DAG_ID]


def prepare_for_dag_test(dag, poke_interval_seconds: float = 1.0):
    """What `dag.test()` needs and the scheduler does not.

    - `dag.test()` in Airflow 3.3.2 crashes at the end of a run of a DAG with a
      DeadlineAlert (apache/airflow#73428: its in-memory serialised copy keeps encoded
      alerts where ids are expected). The deadline is covered by
      test_lakehouse_daily_definition.py and, with the real scheduler, by the UI test.
    - The sensor polls every second instead of every minute.
    """
    dag.deadline = None
    dag.get_task("wait_for_execution").poke_interval = poke_interval_seconds
    return dag


def task_states(dag_run) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in dag_run.get_task_instances()}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_json(url: str, method: str = "GET", body: Any = None, headers: dict | None = None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode("utf-8")
    return json.loads(text) if text else None


def wait_until(condition, timeout_seconds: float, what: str, interval_seconds: float = 1.0):
    """Poll condition() until it returns a truthy value; fail after the timeout."""
    deadline = time.monotonic() + timeout_seconds
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = condition()
            if result:
                return result
        except (OSError, urllib.error.URLError, ValueError, KeyError) as error:
            last_error = error
        time.sleep(interval_seconds)
    raise TimeoutError(f"{what}: not reached within {timeout_seconds:.0f} s ({last_error!r})")


def stop_process(process: subprocess.Popen, grace_seconds: float = 20.0) -> None:
    """Stop one process we started, and its children, by its PID (its own session)."""
    if process.poll() is not None:
        return
    try:
        # Started with start_new_session=True: the group id is the process's PID.
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace_seconds)
    except ProcessLookupError:
        pass


class _RefuseImports(importlib.abc.MetaPathFinder):
    def __init__(self, names: tuple[str, ...]):
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if any(fullname == name or fullname.startswith(name + ".") for name in self.names):
            raise ImportError(f"{fullname} imported while parsing the DAG file")


def parse_dag_folder_refusing_io():
    """A DagBag of the DAG folder, parsed while Variable.get, network connections and the
    heavy modules (HEAVY_MODULES) fail: proof that parsing does none of them."""
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk import Variable

    refused = [
        name
        for name in sys.modules
        if name.startswith(("lakehouse_airflow", *HEAVY_MODULES))
        or "lakehouse_daily" in name
        or "lakehouse_maint" in name
    ]
    with (
        mock.patch.dict(sys.modules),
        mock.patch.object(Variable, "get", side_effect=AssertionError("Variable.get at parse")),
        mock.patch.object(socket.socket, "connect", side_effect=AssertionError("network")),
    ):
        for name in refused:
            del sys.modules[name]  # re-imported under the guard, restored afterwards
        sys.meta_path.insert(0, _RefuseImports(HEAVY_MODULES))
        try:
            return DagBag(dag_folder=str(DAGS_FOLDER))
        finally:
            sys.meta_path.pop(0)
