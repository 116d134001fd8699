"""`lakehouse job <name> --date D [--entity E]`: run one Glue entry script locally with
the arguments the state machine would pass (useful to debug a single step)."""

from __future__ import annotations

import argparse
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    from lakehouse.local.deployment import glue_job_names

    parser.add_argument("job", choices=glue_job_names())
    parser.add_argument("--date", required=True, help="run date YYYY-MM-DD")
    parser.add_argument("--entity", help="source entity (bronze_ingest, silver_merge)")
    parser.add_argument(
        "--run-id",
        help="run id (default: manual-<date>-<UTC time>-<random>, never reused: gold "
        "stages under the run id, so a reused one would overwrite an earlier run's staging)",
    )
    parser.add_argument("--lake", default=".lake")


def default_run_id(run_date: str) -> str:
    """A run id no other run has: manual-<date>-<UTC yyyymmddThhmmss>-<6 hex>."""
    import secrets
    from datetime import UTC, datetime

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"manual-{run_date}-{stamp}-{secrets.token_hex(3)}"


def run(args: argparse.Namespace) -> int:
    from lakehouse.local.deployment import LocalDeployment, existing_lake
    from lakehouse.local.jobs import run_job
    from lakehouse.local.run_cli import dates_between

    existing_lake(args.lake)
    dates_between(args.date, None)  # one line for a malformed date
    arguments = {"--run_date": args.date, "--run_id": args.run_id or default_run_id(args.date)}
    if args.entity:
        arguments["--entity"] = args.entity
    result = run_job(LocalDeployment.at(args.lake), args.job, arguments)
    print(f"{args.job} {result.state} in {result.execution_time}s {result.error_message or ''}")
    if result.traceback:
        print(result.traceback, file=sys.stderr)
    return 0 if result.state == "SUCCEEDED" else 1
