"""Glue job: recompute gold for the order dates this run touched (and the customer
snapshot of the run date) into the run's staging location, plus a manifest of the
staged partitions that the state machine publishes after the validation gate.

Arguments: --run_date --run_id --environment --silver_root --gold_staging_root --ops_root
--publication_location (the Location of ops.published_partitions when the run started)
Optional: --mode build (default) | rollback: instead of building, write the publication
that points readers of --run_date back at what they saw before its run
(lakehouse.steps.run_rollback; the state machine's rollback input). A build sends its
rows staged per table and its duration to CloudWatch (lakehouse.metrics); a rollback
stages no rows and sends none. --rebuild_from D1 (default none): gold of every order
date silver holds and the snapshots of each date from D1 (`lakehouse rebuild`).
"""

import time

from lakehouse.runtime import JobArgumentError, start_job
from lakehouse.steps import (
    NO_REBUILD,
    RunContext,
    rebuild_from_argument,
    run_gold,
    run_rollback,
)

ARGUMENTS = [
    "run_date",
    "run_id",
    "environment",
    "silver_root",
    "gold_staging_root",
    "ops_root",
    "publication_location",
]
MODES = ("build", "rollback")


def main(argv: list[str] | None = None) -> None:
    started = time.monotonic()  # the job's duration metric counts from here
    job = start_job(ARGUMENTS, argv, optional={"mode": "build", "rebuild_from": NO_REBUILD})
    args = job.args
    if args["mode"] not in MODES:
        raise JobArgumentError(f"--mode must be one of {', '.join(MODES)}, got {args['mode']!r}")
    if args["mode"] == "rollback":
        run_rollback(
            job.spark,
            RunContext.from_args(args, started),
            ops_root=args["ops_root"],
            publication_location=args["publication_location"],
        )
        job.commit()
        return
    run_gold(
        job.spark,
        RunContext.from_args(args, started),
        silver_root=args["silver_root"],
        gold_staging_root=args["gold_staging_root"],
        ops_root=args["ops_root"],
        publication_location=args["publication_location"],
        rebuild_from=rebuild_from_argument(args["rebuild_from"]),
    )
    job.commit()


if __name__ == "__main__":
    main()
