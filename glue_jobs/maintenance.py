"""Glue job: weekly lake maintenance (lakehouse.maintenance, docs/adr/0014): compact the
small files of published gold partitions, expire gold staging folders no kept
publication names, drop bronze partitions beyond the rerun horizon; the report goes to
<ops_root>/maintenance/run_id=<run>/report.json.

Arguments: --gold_staging_root --ops_root --bronze_root (Terraform's default arguments)
Optional: --run_id (default maintenance-<UTC timestamp>-<random>), --dry_run true|false
(default false; true: decide and report only), --min_files (default 2: compact
partitions holding at least this many files), --ops_database (default ops; on AWS <project>_<env>_ops),
--run_lock_table (the state machine's run lock table: refuse while its item is held).
"""

from lakehouse.maintenance import (
    MaintenanceArgs,
    clients,
    refuse_while_run_lock_held,
    run_maintenance,
)
from lakehouse.runtime import start_job

ARGUMENTS = ["gold_staging_root", "ops_root", "bronze_root"]
OPTIONAL = {
    "run_id": "",
    "dry_run": "false",
    "min_files": "2",
    "ops_database": "ops",
    "run_lock_table": "",
}


def main(argv: list[str] | None = None) -> None:
    job = start_job(ARGUMENTS, argv, optional=OPTIONAL)
    args = MaintenanceArgs.from_args(job.args)
    catalog, get_lock_item = clients(args.ops_root)
    if job.args["run_lock_table"]:
        refuse_while_run_lock_held(get_lock_item, job.args["run_lock_table"])
    run_maintenance(job.spark, args, catalog)
    job.commit()


if __name__ == "__main__":
    main()
