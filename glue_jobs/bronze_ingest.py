"""Glue job: one entity's raw landing files for one ingest date -> bronze Parquet.

Arguments: --run_date YYYY-MM-DD --run_id --environment --entity --raw_root --bronze_root
--ops_root. Its counts and duration go to CloudWatch (lakehouse.metrics).
"""

import time

from lakehouse.runtime import source_contract, start_job
from lakehouse.steps import NO_REBUILD, RunContext, rebuild_from_argument, run_bronze

ARGUMENTS = [
    "run_date",
    "run_id",
    "environment",
    "entity",
    "raw_root",
    "bronze_root",
    "ops_root",
]


def main(argv: list[str] | None = None) -> None:
    started = time.monotonic()  # the job's duration metric counts from here
    job = start_job(ARGUMENTS, argv, optional={"rebuild_from": NO_REBUILD})
    args = job.args
    run_bronze(
        job.spark,
        source_contract(args["entity"]),
        RunContext.from_args(args, started),
        raw_root=args["raw_root"],
        bronze_root=args["bronze_root"],
        ops_root=args["ops_root"],
        rebuild_from=rebuild_from_argument(args["rebuild_from"]),
    )
    job.commit()


if __name__ == "__main__":
    main()
