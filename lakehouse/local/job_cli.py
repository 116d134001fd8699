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
    parser.add_argument("--run-id", help="run id (default: manual-<date>)")
    parser.add_argument("--lake", default=".lake")


def run(args: argparse.Namespace) -> int:
    from lakehouse.local.deployment import LocalDeployment
    from lakehouse.local.jobs import run_job

    arguments = {"--run_date": args.date, "--run_id": args.run_id or f"manual-{args.date}"}
    if args.entity:
        arguments["--entity"] = args.entity
    result = run_job(LocalDeployment.at(args.lake), args.job, arguments)
    print(f"{args.job} {result.state} in {result.execution_time}s {result.error_message or ''}")
    if result.traceback:
        print(result.traceback, file=sys.stderr)
    return 0 if result.state == "SUCCEEDED" else 1
