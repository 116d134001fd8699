"""`lakehouse run | rollback | rebuild | watch | maintain | status | report`: the local runtime's
command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PROGRESS_STATES = {
    "Ingest": "bronze",
    "Refine": "silver",
    "BuildGold": "gold",
    "Validate": "gate",
    "Publish": "publish",
}


LOG_FILE = "_local/logs/lakehouse.jsonl"  # under the lake
SPARK_LOG_FILE = "_local/logs/spark.log"  # Spark's own warnings (lakehouse/local/spark_conf)


def add_log_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log-format",
        choices=["text", "json"],
        default="text",
        help="text (default): progress and summary here, the JSON log in "
        f"<lake>/{LOG_FILE}; json: the JSON log on stderr",
    )


def route_logs(lake: str, log_format: str) -> None:
    """The structured log to a file under the lake (its path printed once), or to stderr
    with ``--log-format json``."""
    from lakehouse.logs import log_to_file, log_to_stderr
    from lakehouse.spark import SPARK_LOG_ENV

    spark_log = Path(lake) / SPARK_LOG_FILE
    spark_log.parent.mkdir(parents=True, exist_ok=True)
    # always this lake's file: a value inherited from another command's environment
    # would send this run's Spark warnings to another lake
    os.environ[SPARK_LOG_ENV] = str(spark_log.resolve())
    if log_format == "json":
        log_to_stderr()
        return
    path = log_to_file(Path(lake) / LOG_FILE)
    print(
        f"structured log: {path} (Spark's warnings: {os.environ[SPARK_LOG_ENV]})", file=sys.stderr
    )


def configure(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("--lake", default=".lake", help="local lake directory (default .lake)")
    if command in {"run", "rollback", "rebuild", "watch", "maintain"}:
        add_log_format(parser)
    if command == "maintain":
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would be done, change nothing"
        )
        parser.add_argument(
            "--min-files",
            type=int,
            default=2,
            help="compact published gold partitions holding at least this many files (default 2)",
        )
    if command == "run":
        parser.add_argument("--date", required=True, help="run date YYYY-MM-DD")
        parser.add_argument("--through", help="last run date of a range (inclusive)")
        parser.add_argument(
            "--rerun", action="store_true", help="run again even if the date already ran"
        )
    if command == "watch":
        parser.add_argument(
            "--once", action="store_true", help="scan once and exit (default: until Ctrl-C)"
        )
        parser.add_argument(
            "--interval", type=float, default=30.0, help="seconds between scans (default 30)"
        )
    if command == "rollback":
        parser.add_argument("--date", required=True, help="run date YYYY-MM-DD to roll back")
    if command == "rebuild":
        parser.add_argument(
            "--from", dest="first", required=True, help="first ingest date to derive again"
        )
        parser.add_argument(
            "--to", dest="last", required=True, help="last date: the newest the lake ran"
        )
    if command == "report":
        parser.add_argument(
            "--out", help="where to write the HTML (default <lake>/_local/report.html)"
        )


def _run_date(flag: str, value: str) -> date:
    from lakehouse.cli import CliError
    from lakehouse.runtime import JobArgumentError, check_run_date

    try:
        return date.fromisoformat(check_run_date(value))
    except (JobArgumentError, ValueError):
        raise CliError(f"{flag} must be a date YYYY-MM-DD, got {value!r}") from None


def dates_between(first: str, last: str | None) -> list[str]:
    from lakehouse.cli import CliError

    start = _run_date("--date", first)
    end = _run_date("--through", last) if last else start
    if end < start:
        raise CliError(f"--through {last} is before --date {first}")
    return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


def progress_printer(run_date: str):
    started = time.time()

    def listener(event: dict[str, Any]) -> None:
        kind = event["type"]
        details = event.get("stateExitedEventDetails") or {}
        step = PROGRESS_STATES.get(details.get("name", ""))
        if kind.endswith("StateExited") and step:
            print(
                f"  {run_date} {step:<8} done at {time.time() - started:5.0f}s",
                file=sys.stderr,
                flush=True,
            )

    return listener


def run(args: argparse.Namespace) -> int:
    from lakehouse.local.deployment import existing_lake
    from lakehouse.local.executions import list_executions, run_pipeline
    from lakehouse.local.report import console_table, summarise, write_report

    existing_lake(args.lake, writes=args.command != "status")
    run_dates = dates_between(args.date, args.through) if args.command == "run" else []
    if args.command == "status":
        for e in list_executions(args.lake):
            print(f"{e.name:<32} {e.run_date}  {e.status:<10} {e.start_date}  {e.error or ''}")
        return 0
    if args.command == "report":
        print(write_report(args.lake, args.out))
        return 0
    # bad input is refused before anything is written (the log file included)
    if args.command == "rollback":
        _run_date("--date", args.date)
    if args.command == "rebuild" and _run_date("--to", args.last) < _run_date("--from", args.first):
        from lakehouse.cli import CliError

        raise CliError(f"--to {args.last} is before --from {args.first}")
    if args.command == "maintain" and args.min_files < 2:
        from lakehouse.cli import CliError

        raise CliError(f"--min-files must be 2 or more, got {args.min_files}")
    if args.command == "watch" and args.interval <= 0:
        from lakehouse.cli import CliError

        raise CliError(f"--interval must be a positive number of seconds, got {args.interval}")
    route_logs(args.lake, args.log_format)
    if args.command == "rollback":
        return rollback(args.lake, args.date)
    if args.command == "rebuild":
        return rebuild(args.lake, args.first, args.last)
    if args.command == "maintain":
        return maintain(args.lake, dry_run=args.dry_run, min_files=args.min_files)
    if args.command == "watch":
        return watch(args.lake, once=args.once, interval=args.interval)
    failed = 0
    for run_date in run_dates:
        execution = run_pipeline(
            args.lake, run_date, rerun=args.rerun, listener=progress_printer(run_date)
        )
        print(
            f"{run_date}: {execution.name} {execution.status} {execution.error or ''}",
            file=sys.stderr,
        )
        failed += execution.status != "SUCCEEDED"
    print(console_table(summarise(args.lake)))
    return 1 if failed else 0


def failure_reason(execution: Any) -> str:
    """The error of a failed execution, with the Glue job's ErrorMessage when a job
    failed (the cause of States.TaskFailed is the JobRun as JSON)."""
    import json

    try:
        message = json.loads(execution.cause or "").get("ErrorMessage")
    except (AttributeError, ValueError):
        message = None
    return f"{execution.error} ({message})" if message else str(execution.error or execution.cause)


def rollback(lake: str, run_date: str) -> int:
    """`lakehouse rollback --date D`: the state machine's rollback input, locally."""
    import json

    from lakehouse.local.executions import rollback_pipeline
    from lakehouse.local.statemachine_local import local_values
    from lakehouse.steps import run_manifest_location

    day = _run_date("--date", run_date).isoformat()
    execution = rollback_pipeline(lake, day, listener=progress_printer(day))
    if execution.status != "SUCCEEDED":
        print(f"{day}: {execution.name} {execution.status}: {failure_reason(execution)}")
        return 1
    values = local_values()
    record = json.loads(
        (
            Path(lake)
            / values["ops_bucket"]
            / run_manifest_location(values["ops_prefix"], day, execution.name)
        ).read_text("utf-8")
    )
    print(f"{day}: {execution.name} rolled back run {record['rolled_back_run']}")
    for change in record["partitions"]:
        to_run = change["to_run"] or "(not published)"
        print(
            f"  {change['table']:<20} {change['partition_value']:<12} {change['from_run']} -> {to_run}"
        )
    return 0


def rebuild(lake: str, first: str, last: str) -> int:
    """`lakehouse rebuild --from D1 --to D2`: the state machine's rebuild input, locally."""
    from lakehouse.local.executions import rebuild_pipeline
    from lakehouse.local.report import console_table, summarise

    d1, d2 = _run_date("--from", first).isoformat(), _run_date("--to", last).isoformat()
    execution = rebuild_pipeline(lake, d1, d2, listener=progress_printer(d2))
    print(f"{d2}: {execution.name} {execution.status} {execution.error or ''}", file=sys.stderr)
    if execution.status != "SUCCEEDED":
        print(f"{d2}: {execution.name} {execution.status}: {failure_reason(execution)}")
        return 1
    print(console_table(summarise(lake)))
    return 0


def watch(lake: str, *, once: bool, interval: float) -> int:
    """`lakehouse watch`: deliver every new landing marker write to the state machine,
    as the S3 -> EventBridge rule does on AWS (lakehouse.local.landing)."""
    from lakehouse.cli import CliError
    from lakehouse.local.executions import load_execution
    from lakehouse.local.landing import deliver_new_markers, started_run

    if interval <= 0:
        raise CliError(f"--interval must be a positive number of seconds, got {interval}")
    while True:
        for handover in deliver_new_markers(lake, started_listener=progress_printer):
            name = started_run(handover)
            if name is None:
                print(f"{handover.run_date}: marker seen; waiting for the other entities' markers")
                continue
            run = load_execution(lake, name)
            print(f"{handover.run_date}: {name} {run.status if run else 'STARTED'}")
        if once:
            return 0
        time.sleep(interval)


def run_maintenance_job(
    lake: str, *, dry_run: bool, min_files: int
) -> tuple[Any, dict[str, Any] | None]:
    """The maintenance Glue job (glue_jobs/maintenance.py) under the lake's run lock, so
    no run starts while it works: (the JobRun, its report; None when the job failed)."""
    from lakehouse.layout import to_local_path
    from lakehouse.local.deployment import LocalDeployment
    from lakehouse.local.executions import run_lock
    from lakehouse.local.jobs import run_job
    from lakehouse.maintenance import default_run_id, report_location

    deployment = LocalDeployment.at(lake)
    run_id = default_run_id()
    arguments = {
        "--run_id": run_id,
        "--dry_run": "true" if dry_run else "false",
        "--min_files": str(min_files),
    }
    with run_lock(deployment.lake_dir):
        job = run_job(deployment, "maintenance", arguments)
    if job.state != "SUCCEEDED":
        return job, None
    report = to_local_path(report_location(deployment.roots.ops_root, run_id))
    return job, json.loads(report.read_text("utf-8"))


def maintain(lake: str, *, dry_run: bool, min_files: int) -> int:
    """`lakehouse maintain`: one line per action, then a total."""
    from lakehouse.maintenance import summary_lines

    job, report = run_maintenance_job(lake, dry_run=dry_run, min_files=min_files)
    if report is None:
        print(f"{job.arguments['--run_id']} FAILED: {job.error_message}")
        return 1
    for line in summary_lines(report):
        print(line)
    return 0
