"""Glue job: one entity's raw landing files for one ingest date -> bronze Parquet.

Arguments: --run_date YYYY-MM-DD --run_id --environment --entity --raw_root --bronze_root
--ops_root. Its counts and duration go to CloudWatch (lakehouse.metrics).
"""

import time

from lakehouse.runtime import source_contract, start_job
from lakehouse.steps import RunContext, run_bronze

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
    job = start_job(ARGUMENTS, argv)
    args = job.args
    run_bronze(
        job.spark,
        source_contract(args["entity"]),
        RunContext.from_args(args, started),
        raw_root=args["raw_root"],
        bronze_root=args["bronze_root"],
        ops_root=args["ops_root"],
    )
    job.commit()


if __name__ == "__main__":
    main()
