"""Run a Glue entry script locally, in this process, on the shared local Spark session.

The script is the same file Glue runs; only the runtime adapter differs
(``LAKEHOUSE_RUNTIME=local``). Arguments are merged like Glue merges them: the job's
default arguments, overridden by the run's arguments. The script's ``main(argv)`` is
called with its own argv (``sys.argv`` is never touched), so several jobs can run at
once in threads, as Glue runs concurrent job runs.
"""

from __future__ import annotations

import os
import runpy
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any

from lakehouse.local.deployment import LocalDeployment
from lakehouse.logs import log_event
from lakehouse.metrics import LOCAL_METRICS_ENV
from lakehouse.runtime import LOCAL_SECRETS_ENV, RUNTIME_ENV

_SCRIPTS: dict[str, Any] = {}
_SCRIPTS_LOCK = threading.Lock()


@dataclass
class JobRun:
    id: str
    job_name: str
    arguments: dict[str, str]
    state: str = "RUNNING"  # Glue JobRunState: RUNNING | SUCCEEDED | FAILED
    error_message: str | None = None
    error_type: str | None = None
    traceback: str | None = None
    started_on: float = field(default_factory=time.time)
    completed_on: float | None = None

    @property
    def execution_time(self) -> int:
        return int(round((self.completed_on or time.time()) - self.started_on))

    def as_glue(self) -> dict[str, Any]:
        """The shape of GetJobRun's JobRun (what Step Functions' .sync returns)."""
        run: dict[str, Any] = {
            "Id": self.id,
            "JobName": self.job_name,
            "Arguments": self.arguments,
            "JobRunState": self.state,
            "StartedOn": self.started_on,
            "ExecutionTime": self.execution_time,
            "GlueVersion": "5.1",
            "Attempt": 0,
        }
        if self.completed_on is not None:
            run["CompletedOn"] = self.completed_on
        if self.error_message:
            run["ErrorMessage"] = self.error_message
        return run


def _entry_point(deployment: LocalDeployment, job_name: str):
    path = str(deployment.script(job_name))
    with _SCRIPTS_LOCK:
        if path not in _SCRIPTS:
            _SCRIPTS[path] = runpy.run_path(path, run_name=f"glue_job_{job_name}")["main"]
        return _SCRIPTS[path]


def run_job(
    deployment: LocalDeployment, job_name: str, arguments: dict[str, str] | None = None
) -> JobRun:
    """Run ``glue_jobs/<job_name>.py``; a job failure is returned (state FAILED), not raised."""
    merged = {**deployment.default_arguments(), **(arguments or {})}
    run = JobRun(id=f"jr_{uuid.uuid4().hex}", job_name=job_name, arguments=dict(arguments or {}))
    argv = [str(deployment.script(job_name))]
    for key, value in merged.items():
        argv += [key if key.startswith("--") else f"--{key}", value]
    # Process-wide and identical for every local job, so setting them is thread-safe.
    os.environ[RUNTIME_ENV] = "local"
    os.environ[LOCAL_SECRETS_ENV] = str(deployment.secrets_file)
    os.environ[LOCAL_METRICS_ENV] = str(deployment.metrics_file)
    log_event("job_run_started", job=job_name, job_run_id=run.id, arguments=run.arguments)
    try:
        _entry_point(deployment, job_name)(argv)
        run.state = "SUCCEEDED"
    except Exception as exc:  # a failed job is data for the caller, like Glue's FAILED
        run.state = "FAILED"
        run.error_type = type(exc).__name__
        run.error_message = f"{type(exc).__name__}: {exc}"
        run.traceback = traceback.format_exc()
    run.completed_on = time.time()
    log_event(
        "job_run_finished",
        job=job_name,
        job_run_id=run.id,
        state=run.state,
        seconds=round(run.completed_on - run.started_on, 2),
        error=run.error_message,
    )
    return run
