"""Glue job: recompute gold for the order dates this run touched (and the customer
snapshot of the run date) into the run's staging location, plus a manifest of the
staged partitions that the state machine publishes after the validation gate.

Arguments: --run_date --run_id --silver_root --gold_staging_root --ops_root
--publication_location (the Location of ops.published_partitions when the run started)
"""

from lakehouse.runtime import start_job
from lakehouse.steps import RunContext, run_gold

ARGUMENTS = [
    "run_date",
    "run_id",
    "silver_root",
    "gold_staging_root",
    "ops_root",
    "publication_location",
]


def main(argv: list[str] | None = None) -> None:
    job = start_job(ARGUMENTS, argv)
    args = job.args
    run_gold(
        job.spark,
        RunContext.from_args(args),
        silver_root=args["silver_root"],
        gold_staging_root=args["gold_staging_root"],
        ops_root=args["ops_root"],
        publication_location=args["publication_location"],
    )
    job.commit()


if __name__ == "__main__":
    main()
