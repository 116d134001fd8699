"""Run a Glue entry script locally, in this process, on the shared local Spark session.

The script is the same file Glue runs; only the runtime adapter differs
(``LAKEHOUSE_RUNTIME=local``). Arguments are merged like Glue merges them: the job's
default arguments, overridden by the run's arguments.
"""

from __future__ import annotations

import os
import runpy
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any

from lakehouse.local.deployment import LocalDeployment
from lakehouse.runtime import LOCAL_SECRETS_ENV, RUNTIME_ENV


@dataclass
class JobRun:
    id: str
    job_name: str
    arguments: dict[str, str]
    state: str = "RUNNING"  # RUNNING | SUCCEEDED | FAILED (Glue JobRunState)
    error_message: str | None = None
    error_type: str | None = None
    started_on: float = field(default_factory=time.time)
    completed_on: float | None = None

    @property
    def execution_time(self) -> int:
        return int(round((self.completed_on or time.time()) - self.started_on))

    def as_glue(self) -> dict[str, Any]:
        """The shape of GetJobRun's JobRun (the fields Step Functions' .sync returns)."""
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


def run_job(
    deployment: LocalDeployment, job_name: str, arguments: dict[str, str] | None = None
) -> JobRun:
    """Run ``glue_jobs/<job_name>.py``; never raises for a job failure (see JobRun.state)."""
    merged = {**deployment.default_arguments(), **(arguments or {})}
    run = JobRun(id=f"jr_{uuid.uuid4().hex}", job_name=job_name, arguments=dict(arguments or {}))
    argv = [str(deployment.script(job_name))]
    for key, value in merged.items():
        argv += [key if key.startswith("--") else f"--{key}", value]
    saved_argv, saved_env = (
        sys.argv,
        {k: os.environ.get(k) for k in (RUNTIME_ENV, LOCAL_SECRETS_ENV)},
    )
    os.environ[RUNTIME_ENV] = "local"
    os.environ[LOCAL_SECRETS_ENV] = str(deployment.secrets_file)
    sys.argv = argv
    try:
        runpy.run_path(argv[0], run_name="__main__")
        run.state = "SUCCEEDED"
    except Exception as exc:  # a job failure is data for the caller, like Glue's FAILED
        run.state = "FAILED"
        run.error_type = type(exc).__name__
        run.error_message = f"{type(exc).__name__}: {exc}"
        run.traceback = traceback.format_exc()  # type: ignore[attr-defined]
    finally:
        run.completed_on = time.time()
        sys.argv = saved_argv
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return run
