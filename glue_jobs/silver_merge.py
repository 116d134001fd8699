"""Glue job: one entity's bronze rows for one ingest date -> validated, PII-protected
silver state merged into the partitions they touch; failing rows -> quarantine.

Arguments: --run_date --run_id --environment --entity --bronze_root --silver_root
--quarantine_root --ops_root --pii_key_secret_id.
Optional: --rebuild_from D1 (default none): derive every ingest date from D1 to
--run_date again from bronze and rebuild silver from empty (lakehouse.steps.run_silver,
`lakehouse rebuild`). Its counts and duration go to
CloudWatch (lakehouse.metrics).
"""

import time

from lakehouse.runtime import source_contract, start_job
from lakehouse.steps import NO_REBUILD, RunContext, rebuild_from_argument, run_silver

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
    job = start_job(ARGUMENTS, argv, optional={"rebuild_from": NO_REBUILD})
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
        rebuild_from=rebuild_from_argument(args["rebuild_from"]),
    )
    job.commit()


if __name__ == "__main__":
    main()
