"""Run the real state machine definition locally for a date: `lakehouse run`, the
Airflow DAG's local target and `make run` all go through :func:`run_pipeline`."""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lakehouse.local.asl import Execution, StateMachine
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.integrations import LocalServices
from lakehouse.local.statemachine_local import local_values
from lakehouse.logs import log_event
from lakehouse.runtime import check_run_date
from lakehouse.statemachine import render

STATE_MACHINE_NAME = "lakehouse-local-daily"
STATE_MACHINE_ARN = f"arn:aws:states:local:000000000000:stateMachine:{STATE_MACHINE_NAME}"
EXECUTION_PREFIX = "lakehouse"
RUNNING, ABORTED = "RUNNING", "ABORTED"


class ExecutionAlreadyExistsError(ValueError):
    """An execution of that name already ran (StartExecution's
    ExecutionAlreadyExists: names are never reused)."""


@contextmanager
def run_lock(lake_dir: str | Path) -> Iterator[None]:
    """One run at a time per lake (docs/adr/0007): an exclusive ``fcntl`` lock on
    ``<lake>/_local/run.lock``, released by the OS when the holder dies. A second run
    waits here until the first ends."""
    path = Path(lake_dir) / "_local" / "run.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def default_execution_name(run_date: str) -> str:
    """Derived from the date: a date's run is idempotent (a second start returns it)."""
    return f"{EXECUTION_PREFIX}-{run_date}"


def executions_dir(lake_dir: str | Path) -> Path:
    return Path(lake_dir) / "_local" / "executions"


@dataclass
class LocalExecution:
    name: str
    run_date: str
    status: str  # SUCCEEDED | FAILED | TIMED_OUT
    output: dict[str, Any] | None
    error: str | None
    cause: str | None
    start_date: str
    stop_date: str | None
    history: list[dict[str, Any]]

    def to_dict(self, with_history: bool = False) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "history"}
        if with_history:
            out["history"] = self.history
        return out

    @classmethod
    def from_execution(cls, name: str, run_date: str, execution: Execution) -> LocalExecution:
        return cls(
            name=name,
            run_date=run_date,
            status=execution.status,
            output=execution.output,
            error=execution.error,
            cause=execution.cause,
            start_date=execution.start_date,
            stop_date=execution.stop_date,
            history=execution.history,
        )


def execution_input(execution: LocalExecution) -> dict[str, Any]:
    """The input the execution was started with (its ExecutionStarted event)."""
    for event in execution.history[:1]:
        details = event.get("executionStartedEventDetails") or {}
        try:
            started = json.loads(details.get("input") or "{}")
        except (TypeError, ValueError):
            return {}
        return started if isinstance(started, dict) else {}
    return {}


def is_rollback(execution: LocalExecution) -> bool:
    """Started with ``{"rollback": true}`` (:func:`rollback_pipeline`)."""
    return bool(execution_input(execution).get("rollback"))


def is_handover(execution: LocalExecution) -> bool:
    """Started by a schedule or a landing marker: it only starts the run of a date."""
    return "run_date" not in execution_input(execution)


def load_execution(lake_dir: str | Path, name: str) -> LocalExecution | None:
    path = executions_dir(lake_dir) / f"{name}.json"
    if not path.exists():
        return None
    return LocalExecution(**json.loads(path.read_text("utf-8")))


def list_executions(lake_dir: str | Path) -> list[LocalExecution]:
    paths = sorted(executions_dir(lake_dir).glob("*.json"), key=lambda p: p.stat().st_mtime)
    return [LocalExecution(**json.loads(p.read_text("utf-8"))) for p in paths]


def latest_runs(lake_dir: str | Path) -> dict[str, LocalExecution]:
    """{run date: its latest finished run}, oldest date first. Handovers (a schedule's or
    a landing marker's start) and rollbacks are not runs of a date's pipeline and are left
    out; so is a run still RUNNING."""
    latest: dict[str, LocalExecution] = {}
    for execution in list_executions(lake_dir):
        if execution.status == RUNNING or is_handover(execution) or is_rollback(execution):
            continue
        latest[execution.run_date] = execution
    return dict(sorted(latest.items()))


def sent_alerts(execution: LocalExecution) -> list[dict[str, str]]:
    """The SNS messages the execution published (its sns:publish tasks' parameters):
    ``[{"Subject": ..., "Message": ...}]`` in the order they were sent."""
    alerts = []
    for event in execution.history:
        details = event.get("taskScheduledEventDetails") or {}
        if (details.get("resourceType"), details.get("resource")) == ("sns", "publish"):
            parameters = json.loads(details.get("parameters") or "{}")
            alerts.append({k: parameters.get(k) for k in ("Subject", "Message")})
    return alerts


def _next_rerun_name(lake_dir: str | Path, run_date: str) -> str:
    n = 2
    while (executions_dir(lake_dir) / f"{default_execution_name(run_date)}-r{n}.json").exists():
        n += 1
    return f"{default_execution_name(run_date)}-r{n}"


def _save(lake_dir: Path, execution: LocalExecution) -> None:
    path = executions_dir(lake_dir) / f"{execution.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(execution.to_dict(with_history=True), indent=1, default=str), "utf-8"
    )


def _close_abandoned(lake_dir: Path) -> None:
    """Runs recorded RUNNING while nobody holds the run lock died without ending
    (killed): record them ABORTED, as Step Functions shows a stopped execution. The
    DynamoDB run lock such a run may still hold is broken by the next run's own
    definition (DescribeRunLockHolder -> BreakStaleRunLock), as on AWS."""
    for execution in list_executions(lake_dir):
        if execution.status == RUNNING:
            execution.status = ABORTED
            execution.error = "States.Aborted"
            execution.cause = "the process running it ended before the execution did"
            _save(lake_dir, execution)


def run_pipeline(
    lake_dir: str | Path,
    run_date: str,
    *,
    execution_name: str | None = None,
    rerun: bool = False,
    faults: dict[str, int] | None = None,
    listener=None,
    time_scale: float = 0.0,
) -> LocalExecution:
    """Execute the daily state machine for ``run_date``. Never raises for a failed run:
    look at ``status``. Retry waits are computed exactly but not slept (time_scale=0).

    Runs of one lake are serialised (:func:`run_lock`; a second one waits). Names are
    never reused: without ``execution_name`` a date's first run is ``lakehouse-<date>``
    (a second start returns it, as StartExecution with the same name does) and
    ``rerun`` takes the next free ``-r<n>``; an explicit name that already ran raises
    :class:`ExecutionAlreadyExistsError`."""
    check_run_date(run_date)
    deployment = LocalDeployment.at(lake_dir)
    with run_lock(deployment.lake_dir):
        _close_abandoned(deployment.lake_dir)
        if execution_name is None:
            existing = load_execution(lake_dir, default_execution_name(run_date))
            if existing is not None and not rerun:
                return existing  # like StartExecution with the same name: the same execution
            execution_name = (
                _next_rerun_name(lake_dir, run_date)
                if existing
                else default_execution_name(run_date)
            )
        elif load_execution(lake_dir, execution_name) is not None:
            raise ExecutionAlreadyExistsError(
                f"execution {execution_name} already exists: a rerun needs a new name"
            )
        return _execute(
            deployment,
            {"run_date": run_date, "rerun": rerun},
            execution_name,
            run_date,
            faults=faults,
            listener=listener,
            time_scale=time_scale,
        )


def rollback_pipeline(lake_dir: str | Path, run_date: str, *, listener=None) -> LocalExecution:
    """Execute the state machine with ``{"run_date": D, "rollback": true}``: under the run
    lock, readers of D are pointed back at what they saw before D's visible run (the
    gold job's rollback mode, one UpdateTable), the run manifest records ROLLED_BACK and
    the alerts topic is told. Named ``lakehouse-<date>-rollback[-<n>]``, never reused.
    A date with nothing to roll back ends FAILED with the reason (and alerts)."""
    check_run_date(run_date)
    deployment = LocalDeployment.at(lake_dir)
    with run_lock(deployment.lake_dir):
        _close_abandoned(deployment.lake_dir)
        base = f"{default_execution_name(run_date)}-rollback"
        name, n = base, 2
        while load_execution(lake_dir, name) is not None:
            name, n = f"{base}-{n}", n + 1
        return _execute(
            deployment,
            {"run_date": run_date, "rollback": True},
            name,
            run_date,
            listener=listener,
        )


def rebuild_pipeline(
    lake_dir: str | Path,
    first: str,
    last: str,
    *,
    faults: dict[str, int] | None = None,
    listener=None,
) -> LocalExecution:
    """Execute the state machine with ``{"run_date": last, "rebuild_from": first}``
    (``lakehouse rebuild``): bronze of ``last`` as any run, then every ingest date from
    ``first`` to ``last`` derived again from bronze, silver rebuilt from empty, gold of
    every order date and the snapshots of each date staged, and published through the
    gate like a daily run: readers keep the last good data until it publishes, and a
    blocked rebuild publishes nothing. Named ``lakehouse-<last>-rebuild-from-<first>
    [-<n>]``, never reused. Never raises for a failed run: look at ``status`` (a
    refused rebuild, :class:`lakehouse.steps.RebuildError`, ends FAILED with it)."""
    check_run_date(first)
    check_run_date(last)
    deployment = LocalDeployment.at(lake_dir)
    with run_lock(deployment.lake_dir):
        _close_abandoned(deployment.lake_dir)
        base = f"{default_execution_name(last)}-rebuild-from-{first}"
        name, n = base, 2
        while load_execution(lake_dir, name) is not None:
            name, n = f"{base}-{n}", n + 1
        return _execute(
            deployment,
            {"run_date": last, "rebuild_from": first},
            name,
            last,
            faults=faults,
            listener=listener,
        )


def start_landed(
    lake_dir: str | Path, key: str, sequencer: str, *, started_listener=None
) -> LocalExecution:
    """What S3 -> EventBridge does when a landing marker object is written: start an
    execution (named at random, as an EventBridge target names them) with
    ``{"landing_marker": {bucket, key, sequencer}}``, the input the Terraform rule's
    input transformer gives. The definition starts ``lakehouse-<date>-landed-<sequencer>``
    once every source entity's marker of the date exists (docs/adr/0012).
    ``started_listener``: run date -> listener of the run it starts (progress lines)."""
    import uuid

    from lakehouse.layout import PREFIXES, local_bucket_name

    deployment = LocalDeployment.at(lake_dir)
    marker = {
        "bucket": local_bucket_name(PREFIXES["raw_root"][0]),
        "key": key,
        "sequencer": sequencer,
    }
    name = f"landing-{uuid.uuid4().hex[:12]}"
    return _execute(
        deployment,
        {"landing_marker": marker},
        name,
        _date_in(key),
        started_listener=started_listener,
    )


def _date_in(key: str) -> str:
    """The ingest date of a landing key (for the execution record; the definition
    parses it itself)."""
    for part in key.split("/"):
        if part.startswith("ingest_date="):
            return part.split("=", 1)[1]
    return ""


def start_scheduled(lake_dir: str | Path, scheduled_time: str) -> LocalExecution:
    """What the optional EventBridge Scheduler does: start an execution (named at
    random, as Scheduler names them) with ``{"scheduled_time": <ISO timestamp>}``. The
    definition hands over to the run of that date (``lakehouse-<date>-scheduled``)."""
    import uuid

    deployment = LocalDeployment.at(lake_dir)
    name = f"scheduled-{uuid.uuid4().hex[:12]}"
    return _execute(deployment, {"scheduled_time": scheduled_time}, name, scheduled_time[:10])


def _execute(
    deployment: LocalDeployment,
    execution_input: dict[str, Any],
    execution_name: str,
    run_date: str,
    *,
    faults: dict[str, int] | None = None,
    listener=None,
    time_scale: float = 0.0,
    started_listener=None,
) -> LocalExecution:
    services = LocalServices(
        deployment, faults=dict(faults or {}), started_listener=started_listener
    )
    machine = StateMachine(
        render(local_values()), name=STATE_MACHINE_NAME, integrations=services.handlers()
    )
    log_event("execution_started", execution=execution_name, run_date=run_date)
    started = LocalExecution(
        name=execution_name,
        run_date=run_date,
        status=RUNNING,
        output=None,
        error=None,
        cause=None,
        start_date=_now(),
        stop_date=None,
        history=[],
    )
    _save(deployment.lake_dir, started)  # a run killed from here on keeps its name
    execution = machine.execute(
        execution_input,
        integrations=services.handlers(),
        execution_name=execution_name,
        listener=listener,
        time_scale=time_scale,
        concurrent_map=True,  # entity jobs run side by side, as on AWS
    )
    result = LocalExecution.from_execution(execution_name, run_date, execution)
    _save(deployment.lake_dir, result)
    log_event(
        "execution_finished", execution=execution_name, status=result.status, error=result.error
    )
    return result


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="milliseconds")
