"""A local Airflow for the project's DAGs: api-server + scheduler + dag-processor.

    python airflow/local_airflow.py start [--home .airflow] [--port 8080] [--lake .lake]
    python airflow/local_airflow.py stop  [--home .airflow]

`make airflow` / `make airflow-stop` call it, and so does the UI test. It binds to
127.0.0.1 only, runs with low parallelism (LocalExecutor, 4 slots), turns the login off
(simple auth manager, everyone admin: a dev UI, never a shared one), runs
`airflow db migrate` first, and writes the PIDs it started to `<home>/pids`; `stop`
stops exactly those. The DAG runs on the local target against the given lake.

A lake that already ran days (`make run`, `lakehouse run`) gets one DAG run per such
date, showing that date's latest execution with its outcome (a blocked gate fails, its
alert in the task log) without running it again; unless LAKEHOUSE_START_DATE or
LAKEHOUSE_END_DATE is set, the DAG is bounded to those dates and unpaused, so its
catch-up finds every date done and the UI shows the lake's week.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
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

REPO_ROOT = Path(__file__).resolve().parents[1]
DAGS_FOLDER = REPO_ROOT / "airflow" / "dags"
AIRFLOW_BIN = Path(sys.executable).parent / "airflow"
COMPONENTS = ("api-server", "scheduler", "dag-processor")
DAG_ID = "lakehouse_daily"
RECORDED_RUN_PREFIX = "recorded__"
DAG_PARSED_TIMEOUT_SECONDS = 180
DEFAULT_PORT = 8080
READY_TIMEOUT_SECONDS = 180
STOP_GRACE_SECONDS = 30


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(home: Path, port: int, lake_dir: Path, extra: dict | None = None) -> dict:
    base_url = f"http://127.0.0.1:{port}"
    return {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": base_url,
        # Task processes report to the api-server's execution API (default: localhost:8080).
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base_url}/execution/",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "LAKEHOUSE_TARGET": "local",
        "LAKEHOUSE_LAKE_DIR": str(lake_dir),
        "PYSPARK_PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
        **(extra or {}),
    }


def pids_file(home: Path) -> Path:
    return home / "pids"


def running_pids(home: Path) -> dict[str, int]:
    """Recorded PIDs that are still Airflow processes (a PID may have been reused)."""
    if not pids_file(home).exists():
        return {}
    alive = {}
    for line in pids_file(home).read_text("utf-8").split("\n"):
        if line.strip():
            component, pid = line.split()
            cmdline = Path(f"/proc/{pid}/cmdline")
            if cmdline.exists() and b"airflow" in cmdline.read_bytes():
                alive[component] = int(pid)
    return alive


def wait_until_healthy(base_url: str, processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise RuntimeError("an Airflow component exited during start-up: see the logs")
        try:
            with urllib.request.urlopen(f"{base_url}/api/v2/monitor/health", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise TimeoutError(f"Airflow at {base_url} not healthy after {READY_TIMEOUT_SECONDS} s")


def start(
    home: Path, port: int, lake_dir: Path, extra_env: dict | None = None, migrate: bool = True
) -> list[subprocess.Popen]:
    """Migrate the database, start the three components, wait until the API answers.

    migrate=False is for a home that already holds a migrated database *and* its
    airflow.cfg (the three components must not each write one with their own secrets)."""
    home.mkdir(parents=True, exist_ok=True)
    if running_pids(home):
        raise RuntimeError(f"Airflow already runs from {home} (PIDs in {pids_file(home)})")
    env = environment(home.resolve(), port, lake_dir.resolve(), extra_env)
    logs = home / "logs"
    logs.mkdir(exist_ok=True)
    if migrate:
        with (logs / "db-migrate.log").open("w") as log:
            subprocess.run(
                [str(AIRFLOW_BIN), "db", "migrate"], env=env, stdout=log, stderr=log, check=True
            )
    processes = []
    for component in COMPONENTS:
        with (logs / f"{component}.log").open("w") as log:
            processes.append(
                subprocess.Popen(
                    [str(AIRFLOW_BIN), component],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # own process group: stop() ends its children too
                )
            )
    pids_file(home).write_text(
        "".join(f"{c} {p.pid}\n" for c, p in zip(COMPONENTS, processes, strict=True)), "utf-8"
    )
    try:
        wait_until_healthy(env["AIRFLOW__API__BASE_URL"], processes)
    except Exception:
        stop(home)
        raise
    return processes


def lake_runs(lake_dir: Path) -> dict[str, dict[str, str]]:
    """{date: {name, status}} of the execution of each date the lake already ran (its
    latest finished run, as the run report shows it), oldest date first."""
    from lakehouse.local.executions import latest_runs

    return {day: {"name": e.name, "status": e.status} for day, e in latest_runs(lake_dir).items()}


def dag_bounds(runs: dict[str, dict[str, str]]) -> dict[str, str]:
    """The DAG's LAKEHOUSE_START_DATE/END_DATE for a lake's run dates ({} for none):
    the first and last date, so that catch-up covers exactly the lake's days."""
    if not runs:
        return {}
    return {"LAKEHOUSE_START_DATE": min(runs), "LAKEHOUSE_END_DATE": max(runs)}


def _api(base_url: str, path: str, method: str = "GET", body: dict | None = None) -> dict | None:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(f"{base_url}/api/v2{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode("utf-8")
    return json.loads(text) if text else None


def wait_until_dag_parsed(base_url: str, dag_id: str = DAG_ID) -> None:
    deadline = time.monotonic() + DAG_PARSED_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            _api(base_url, f"/dags/{dag_id}")
            return
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
        time.sleep(1)
    raise TimeoutError(f"DAG {dag_id} not parsed after {DAG_PARSED_TIMEOUT_SECONDS} s")


def register_lake_runs(
    base_url: str, runs: dict[str, dict[str, str]], unpause: bool
) -> dict[str, str]:
    """One DAG run per date the lake already ran, logical date = that date (the run the
    data-interval timetable would have made), run id `recorded__<execution>`, param
    `recorded_execution`: its task shows that execution and ends like it ended
    (lakehouse_airflow.local_target.show_recorded_execution). A date that already has a
    DAG run in this Airflow (HTTP 409) is left as it is. Unpauses the DAG when asked.
    Returns {date: "registered" | "already has a run"}."""
    wait_until_dag_parsed(base_url)
    outcome = {}
    for day, execution in runs.items():
        start, name = dt.date.fromisoformat(day), execution["name"]
        body = {
            "dag_run_id": f"{RECORDED_RUN_PREFIX}{name}",
            "logical_date": f"{start}T00:00:00Z",
            "data_interval_start": f"{start}T00:00:00Z",
            "data_interval_end": f"{start + dt.timedelta(days=1)}T00:00:00Z",
            "conf": {"run_date": day, "recorded_execution": name},
            "note": f"ran outside Airflow (make run / lakehouse run) as {name}: "
            f"{execution['status']}",
        }
        try:
            _api(base_url, f"/dags/{DAG_ID}/dagRuns", "POST", body)
            outcome[day] = "registered"
        except urllib.error.HTTPError as error:
            if error.code != 409:
                detail = error.read().decode("utf-8", "replace")
                raise RuntimeError(f"registering {name}: HTTP {error.code} {detail}") from error
            outcome[day] = "already has a run"
    if unpause:
        _api(base_url, f"/dags/{DAG_ID}?update_mask=is_paused", "PATCH", {"is_paused": False})
    return outcome


def start_on_lake(
    home: Path, port: int, lake_dir: Path, extra_env: dict | None = None, migrate: bool = True
) -> tuple[list[subprocess.Popen], dict[str, str]]:
    """What `make airflow` does: :func:`start`, then :func:`register_lake_runs` for the
    dates the lake already ran. Unless the environment (or extra_env) sets the DAG's
    LAKEHOUSE_START_DATE/END_DATE, the DAG is bounded to those dates and unpaused."""
    runs = lake_runs(lake_dir)
    extra_env = dict(extra_env or {})
    chosen = {**os.environ, **extra_env}
    bound = bool(runs) and not (
        chosen.get("LAKEHOUSE_START_DATE") or chosen.get("LAKEHOUSE_END_DATE")
    )
    if bound:
        extra_env.update(dag_bounds(runs))
    processes = start(home, port, lake_dir, extra_env, migrate=migrate)
    if not runs:
        return processes, {}
    try:
        outcome = register_lake_runs(f"http://127.0.0.1:{port}", runs, unpause=bound)
    except Exception:
        stop(home)
        raise
    return processes, outcome


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)  # started with start_new_session: group id == pid


def stop(home: Path) -> list[int]:
    """Stop the processes recorded in <home>/pids (and their children); return the PIDs."""
    pids = running_pids(home)
    for pid in pids.values():
        _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while time.monotonic() < deadline and running_pids(home):
        time.sleep(0.5)
    for pid in running_pids(home).values():
        _signal_group(pid, signal.SIGKILL)
    pids_file(home).unlink(missing_ok=True)
    return sorted(pids.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("start", "stop"))
    parser.add_argument("--home", type=Path, default=REPO_ROOT / ".airflow")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--lake", type=Path, default=REPO_ROOT / ".lake")
    args = parser.parse_args(argv)
    if args.command == "stop":
        stopped = stop(args.home)
        print(f"stopped {stopped}" if stopped else f"no Airflow running from {args.home}")
        return 0
    port = args.port if port_is_free(args.port) else free_port()
    if port != args.port:
        print(f"port {args.port} is taken, using {port}")
    processes, registered = start_on_lake(args.home, port, args.lake)
    print(f"Airflow is up: http://127.0.0.1:{port}  (PIDs {[p.pid for p in processes]})")
    if registered:
        days = sorted(registered)
        new = sum(v == "registered" for v in registered.values())
        print(
            f"the lake's runs of {days[0]}..{days[-1]} are DAG runs of {DAG_ID} "
            f"({new} registered now): shown with their outcome, not run again"
        )
    print(f"logs in {args.home}/logs, lake {args.lake.resolve()}; stop with: make airflow-stop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
