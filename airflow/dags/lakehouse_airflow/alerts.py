"""Alerts of the daily DAG: a failed run (DAG `on_failure_callback`) and a late run
(the DAG's DeadlineAlert). AWS target: the platform's SNS alerts topic; local target:
the local SNS outbox (`<lake>/_local/outbox/sns.jsonl`)."""

from __future__ import annotations

import json
import logging
from typing import Any

from lakehouse_airflow import run_identity, settings

log = logging.getLogger(__name__)
SNS_SUBJECT_MAX_CHARS = 100
FINISHED_STATES = ("success", "failed")


def publish(subject: str, details: dict[str, Any]) -> None:
    """Send one alert to the target's alerts topic."""
    message = json.dumps(details, indent=1, sort_keys=True, default=str)
    subject = subject[:SNS_SUBJECT_MAX_CHARS]
    target = settings.target()
    if target == "aws":
        from airflow.providers.amazon.aws.hooks.sns import SnsHook

        topic_arn = settings.ALERTS_TOPIC_ARN.read()
        hook = SnsHook(aws_conn_id=settings.AWS_CONN_ID.read())
        hook.publish_to_target(target_arn=topic_arn, message=message, subject=subject)
        log.info("alert published to %s: %s", topic_arn, subject)
    else:
        from lakehouse.local.outbox import publish_alert

        lake_dir = settings.LAKE_DIR.read()
        publish_alert(lake_dir, subject, message)
        log.info("alert written to the local outbox of %s: %s", lake_dir, subject)


def _run_date_or_unknown(dag_run: Any, params: dict | None) -> str:
    try:
        return run_identity.run_date_of(dag_run, params)
    except (run_identity.InvalidRunDateError, TypeError, ValueError):
        return "unknown"


def alert_failed_run(context: dict[str, Any]) -> None:
    """DAG on_failure_callback: one alert per failed DAG run, naming the failed task.

    A run that shows a recorded execution (param `recorded_execution`) sends nothing: that
    execution alerted when it ran, and its task log repeats the alert."""
    dag_run = context.get("dag_run")
    recorded = run_identity.recorded_execution(dag_run, context.get("params"))
    if recorded:
        log.info("run shows recorded execution %s, which sent its own alerts", recorded)
        return
    ti = context.get("ti") or context.get("task_instance")
    dag_id = getattr(context.get("dag"), "dag_id", None) or getattr(dag_run, "dag_id", None)
    run_date = _run_date_or_unknown(dag_run, context.get("params"))
    details = {
        "event": "lakehouse_run_failed",
        "dag_id": dag_id,
        "run_id": context.get("run_id") or getattr(dag_run, "run_id", None),
        "run_date": run_date,
        "target": settings.target(),
        "reason": context.get("reason"),
        "failed_task": getattr(ti, "task_id", None),
        "try_number": getattr(ti, "try_number", None),
        "error": str(context["exception"]) if context.get("exception") else None,
    }
    publish(f"{dag_id} failed for {run_date}", details)


def alert_late_run(context: dict[str, Any], **_: Any) -> None:
    """DeadlineAlert callback: the run is still not finished when its deadline passed.

    Airflow calls it with a small context: the DAG run as a JSON dict (its state when the
    deadline passed) and the deadline. Airflow 3.3 prunes a run's deadlines when it
    succeeds but not when it fails (`DagRun.update_state`), so a run that already failed,
    and alerted as such, still reaches its deadline: it is not late, and sends nothing.
    """
    dag_run = context.get("dag_run") or {}
    if dag_run.get("state") in FINISHED_STATES:
        log.info("run %s ended %s before its deadline", dag_run.get("run_id"), dag_run["state"])
        return
    run_date = _run_date_or_unknown(dag_run, None)
    details = {
        "event": "lakehouse_run_late",
        "dag_id": dag_run.get("dag_id"),
        "run_id": dag_run.get("run_id"),
        "run_date": run_date,
        "state": dag_run.get("state"),
        "queued_at": dag_run.get("queued_at"),
        "deadline": (context.get("deadline") or {}).get("deadline_time"),
        "target": settings.target(),
    }
    publish(f"{details['dag_id']} is late for {run_date}", details)
