"""Glue job: one entity's bronze rows for one ingest date -> validated, PII-protected
silver state merged into the partitions they touch; failing rows -> quarantine.

Arguments: --run_date --run_id --environment --entity --bronze_root --silver_root
--quarantine_root --ops_root --pii_key_secret_id. Its counts and duration go to
CloudWatch (lakehouse.metrics).
"""

import time

from lakehouse.runtime import source_contract, start_job
from lakehouse.steps import RunContext, run_silver

ARGUMENTS = [
    "run_date",
    "run_id",
    "environment",
    "entity",
    "bronze_root",
    "silver_root",
    "quarantine_root",
    "ops_root",
    "pii_key_secret_id",
]


def main(argv: list[str] | None = None) -> None:
    started = time.monotonic()  # the job's duration metric counts from here
    job = start_job(ARGUMENTS, argv)
    args = job.args
    run_silver(
        job.spark,
        source_contract(args["entity"]),
        RunContext.from_args(args, started),
        bronze_root=args["bronze_root"],
        silver_root=args["silver_root"],
        quarantine_root=args["quarantine_root"],
        ops_root=args["ops_root"],
        pii_key=job.secret(args["pii_key_secret_id"]),
    )
    job.commit()


if __name__ == "__main__":
    main()
