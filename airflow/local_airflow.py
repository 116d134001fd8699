"""A local Airflow for the project's DAGs: api-server + scheduler + dag-processor.

    python airflow/local_airflow.py start [--home .airflow] [--port 8080] [--lake .lake]
    python airflow/local_airflow.py stop  [--home .airflow]

`make airflow` / `make airflow-stop` call it, and so does the UI test. It binds to
127.0.0.1 only, runs with low parallelism (LocalExecutor, 4 slots), turns the login off
(simple auth manager, everyone admin: a dev UI, never a shared one), runs
`airflow db migrate` first, and writes the PIDs it started to `<home>/pids`; `stop`
stops exactly those. The DAG runs on the local target against the given lake.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DAGS_FOLDER = REPO_ROOT / "airflow" / "dags"
AIRFLOW_BIN = Path(sys.executable).parent / "airflow"
COMPONENTS = ("api-server", "scheduler", "dag-processor")
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
    processes = start(args.home, port, args.lake)
    print(f"Airflow is up: http://127.0.0.1:{port}  (PIDs {[p.pid for p in processes]})")
    print(f"logs in {args.home}/logs, lake {args.lake.resolve()}; stop with: make airflow-stop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
