"""Weekly lake maintenance (docs/adr/0014): compact the small files of published gold
partitions, expire gold staging folders nothing can read any more, and drop bronze
partitions beyond the rerun horizon. Every action is reported in one JSON record at
``<ops_root>/maintenance/run_id=<run>/report.json``; a dry run reports and changes
nothing else.

Readers never see duplicates or gaps:

* *Compaction* writes a partition's rows as one file to a new folder
  (``gold_staging/<table>/run_id=<maintenance run>/<column>=<value>/``), checks that the
  rows are the same, and only then re-points that staged partition's registration
  (``ops.staged_<table>``, keys ``(run_id, value)``) at it: one ``UpdatePartition``,
  atomic per partition, between two folders holding the same rows. The publication is
  not changed, so every run keeps the partitions it published and a rollback
  (docs/adr/0011), which finds the run to roll back by the run ids the publication
  names, works after maintenance as before.
* *Expiry* deletes only run folders that no kept publication names (the current one
  and, recursively, the ``previous_publication`` of every run a kept publication names:
  what a rollback can restore), that are not the latest staged run and that no
  registration of a named run points into.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from lakehouse import io, publication
from lakehouse.contracts import GOLD_TABLES, SOURCE_ENTITIES, layers, load
from lakehouse.contracts.catalog import (
    PUBLICATION_TABLE,
    STAGED_PREFIX,
    find_table,
    partition_input,
)
from lakehouse.layout import PREFIXES, join, local_bucket_name, partition_path, to_local_path
from lakehouse.logs import log_event
from lakehouse.schemas import struct_of

RUN_PREFIX = "maintenance-"
LOCK_ID = "daily-run"  # the state machine's run lock item (docs/adr/0007)
REPORTS_DATASET = "maintenance"
RUN_MANIFESTS = "run_manifest"
BRONZE_PARTITION = layers()["bronze"]["partition"]["column"]
CHANGE_LOG_KEPT = (
    "kept whole: gold rebuilds the SCD2 customer history and the as-of snapshots from "
    "every change-log partition (steps.run_gold), so dropping old ones would change gold"
)


class MaintenanceRefused(RuntimeError):
    """Maintenance would race a daily run (the run lock is held) or delete what readers read."""


# -- pure selection -------------------------------------------------------------------
def kept_publications(
    current: str | None,
    runs_named_by: Callable[[str], set[str]],
    previous_publication_of: Mapping[str, str],
) -> list[str]:
    """The current publication and every publication a rollback could restore: the
    ``previous_publication`` of each PUBLISHED run a kept publication names, recursively."""
    kept: set[str] = set()
    todo = [current] if current else []
    while todo:
        location = todo.pop()
        if location in kept:
            continue
        kept.add(location)
        for run in sorted(runs_named_by(location)):
            previous = previous_publication_of.get(run)
            if previous and previous not in kept:
                todo.append(previous)
    return sorted(kept)


def runs_to_expire(
    staged_runs: Iterable[str], named: set[str], latest: str | None, referenced: set[str]
) -> list[str]:
    """Staged run folders that no kept publication names, that are not the latest run
    and that no registration of a named run points into."""
    keep = named | referenced | ({latest} if latest else set())
    return sorted(set(staged_runs) - keep)


def latest_staged_run(records: Iterable[Mapping[str, Any]], staged: set[str]) -> str | None:
    """The staged run recorded last (newest ``recorded_at`` of its run manifest)."""
    recorded = [r for r in records if r.get("run_id") in staged]
    if not recorded:
        return None
    return str(max(recorded, key=lambda r: str(r.get("recorded_at", "")))["run_id"])


def partitions_to_compact(
    files: Mapping[tuple[str, str], int], min_files: int
) -> list[tuple[str, str]]:
    """(table, partition value) whose published folder holds at least ``min_files`` files."""
    return sorted(key for key, count in files.items() if count >= min_files)


def retention_cutoff(newest_published: str | None, horizon_days: int) -> str | None:
    """The oldest date a rerun may still need (None: no published run yet)."""
    if newest_published is None:
        return None
    return (date.fromisoformat(newest_published) - timedelta(days=horizon_days)).isoformat()


def dates_to_drop(values: Iterable[str], cutoff: str | None) -> list[str]:
    return sorted(v for v in values if cutoff is not None and v < cutoff)


def run_folder_of(location: str) -> str | None:
    """``.../<table>/run_id=<run>/<column>=<value>`` -> ``<run>``."""
    parts = location.rstrip("/").split("/")
    return (
        parts[-2][len("run_id=") :] if len(parts) > 1 and parts[-2].startswith("run_id=") else None
    )


# -- reading the lake -----------------------------------------------------------------
def _read_small(spark: SparkSession, url: str) -> str:
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(url)
    stream = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).open(path)
    try:
        return jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8")
    finally:
        stream.close()


def _run_records(spark: SparkSession, ops_root: str, run_date: str) -> list[dict[str, Any]]:
    folder = join(ops_root, RUN_MANIFESTS, f"run_date={run_date}")
    files = [f for f in io.list_files(spark, folder) if f.endswith(".json")]
    return [json.loads(_read_small(spark, f)) for f in files]


def run_records(spark: SparkSession, ops_root: str) -> list[dict[str, Any]]:
    """Every run manifest the state machine recorded (ops/run_manifest)."""
    dates = io.list_partition_values(spark, ops_root, RUN_MANIFESTS, "run_date")
    return [r for d in dates for r in _run_records(spark, ops_root, d)]


def newest_published_run_date(spark: SparkSession, ops_root: str) -> str | None:
    """The newest run date with a PUBLISHED run (None: nothing published yet)."""
    for run_date in reversed(io.list_partition_values(spark, ops_root, RUN_MANIFESTS, "run_date")):
        if any(r.get("status") == "PUBLISHED" for r in _run_records(spark, ops_root, run_date)):
            return run_date
    return None


class RerunBeyondHorizonError(ValueError):
    """A run of a date older than the rerun horizon allows (see
    :func:`refuse_beyond_rerun_horizon`)."""


def refuse_beyond_rerun_horizon(spark: SparkSession, ops_root: str, run_date: str) -> None:
    """Raise :class:`RerunBeyondHorizonError` when ``run_date`` is older than the newest
    published run date minus ``retention.rerun_horizon_days`` (contracts/_layers.json):
    maintenance may have dropped the bronze of such dates and Terraform's lifecycle
    archived their landing files, so a run would rebuild silver and the as-of snapshots
    from incomplete history. A lake with nothing published refuses nothing."""
    horizon = rerun_horizon_days()
    newest = newest_published_run_date(spark, ops_root)
    cutoff = retention_cutoff(newest, horizon)
    if cutoff is not None and run_date < cutoff:
        raise RerunBeyondHorizonError(
            f"run date {run_date} is beyond the rerun horizon: the newest published run date "
            f"is {newest} and retention.rerun_horizon_days is {horizon} "
            f"(lakehouse/contracts/_layers.json), so dates before {cutoff} may have lost their "
            "bronze and raw files; restore them and raise the horizon to rerun it"
        )


def _registrations(catalog: Any, database: str, table: str) -> dict[tuple[str, str], str]:
    """{(run id, partition value): Location} of ``ops.staged_<table>``."""
    found: dict[tuple[str, str], str] = {}
    token = None
    while True:
        extra = {"NextToken": token} if token else {}
        page = catalog.get_partitions(
            DatabaseName=database, TableName=f"{STAGED_PREFIX}{table}", **extra
        )
        for p in page["Partitions"]:
            found[(p["Values"][0], p["Values"][1])] = p["StorageDescriptor"]["Location"]
        token = page.get("NextToken")
        if not token:
            return found


@dataclass(frozen=True)
class MaintenanceArgs:
    run_id: str
    gold_staging_root: str
    ops_root: str
    bronze_root: str
    ops_database: str = "ops"
    dry_run: bool = False
    min_files: int = 2

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> MaintenanceArgs:
        from lakehouse.runtime import JobArgumentError

        dry_run = args.get("dry_run", "false").lower()
        if dry_run not in {"true", "false"}:
            raise JobArgumentError(f"--dry_run must be true or false, got {dry_run!r}")
        min_files = args.get("min_files", "2")
        if not min_files.isdigit() or int(min_files) < 2:
            raise JobArgumentError(f"--min_files must be an integer >= 2, got {min_files!r}")
        run_id = args.get("run_id") or default_run_id()
        if not run_id.startswith(RUN_PREFIX):
            raise JobArgumentError(f"--run_id must start with {RUN_PREFIX!r}, got {run_id!r}")
        return cls(
            run_id=run_id,
            gold_staging_root=args["gold_staging_root"],
            ops_root=args["ops_root"],
            bronze_root=args["bronze_root"],
            ops_database=args.get("ops_database") or "ops",
            dry_run=dry_run == "true",
            min_files=int(min_files),
        )


def default_run_id() -> str:
    """``maintenance-<UTC timestamp>-<random>``: never the same twice (run ids are single-use)."""
    return f"{RUN_PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def report_location(ops_root: str, run_id: str) -> str:
    return join(ops_root, REPORTS_DATASET, f"run_id={run_id}", "report.json")


def refuse_while_run_lock_held(get_item: Callable[[dict], dict], table: str) -> None:
    """A Glue job cannot hold the state machine's lock (its holder must be an execution
    the waiting runs can describe), so maintenance runs only while it is free."""
    key = {"lock_id": {"S": LOCK_ID}}
    item = get_item({"TableName": table, "Key": key, "ConsistentRead": True}).get("Item")
    if item:
        holder = item.get("holder", {}).get("S", "?")
        raise MaintenanceRefused(
            f"the run lock {LOCK_ID!r} in {table} is held by {holder}: "
            "maintenance does not run during a daily run; start it again when that run ended"
        )


# -- the job --------------------------------------------------------------------------
def run_maintenance(spark: SparkSession, args: MaintenanceArgs, catalog: Any) -> dict[str, Any]:
    """Compact, expire, drop by retention (or, dry run, only decide); write the report."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    if io.exists(spark, report_location(args.ops_root, args.run_id)):
        raise MaintenanceRefused(f"run id {args.run_id} was used already: run ids are single-use")
    pointer = catalog.get_table(DatabaseName=args.ops_database, Name=PUBLICATION_TABLE)
    current_location = pointer["Table"]["StorageDescriptor"]["Location"]
    current = publication.published_runs(publication.read_publication(spark, current_location))
    compacted = _compact(spark, args, catalog, current)
    expired = _expire(spark, args, catalog, current_location, current)
    retention = _retention(spark, args)
    report = {
        "run_id": args.run_id,
        "dry_run": args.dry_run,
        "started_at": started,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "publication": current_location,
        "min_files": args.min_files,
        "compacted": compacted,
        "expired": expired,
        "retention": retention,
    }
    io.write_json(spark, report_location(args.ops_root, args.run_id), report)
    log_event("maintenance_finished", **{k: report[k] for k in ("run_id", "dry_run")})
    return report


def _compact(
    spark: SparkSession, args: MaintenanceArgs, catalog: Any, current: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    done = []
    for table in GOLD_TABLES:
        registered = _registrations(catalog, args.ops_database, table)
        published = {
            value: (run, registered[(run, value)])
            for value, run in current.get(table, {}).items()
            if (run, value) in registered
        }
        files = {value: io.list_files(spark, loc) for value, (_, loc) in published.items()}
        counts = {(table, value): len(found) for value, found in files.items()}
        for _, value in partitions_to_compact(counts, args.min_files):
            run, location = published[value]
            column = load(table).partition.column
            target = join(
                args.gold_staging_root, table, f"run_id={args.run_id}", f"{column}={value}"
            )
            entry = {
                "table": table,
                "partition_value": value,
                "run_id": run,
                "files_before": len(files[value]),
                "files_after": 1,
                "from_location": location,
                "to_location": target,
            }
            if not args.dry_run:
                entry["rows"] = _rewrite_as_one_file(spark, table, files[value], target)
                entry["files_after"] = len(io.list_files(spark, target))
                staged = find_table("ops", f"{STAGED_PREFIX}{table}")
                catalog.update_partition(
                    DatabaseName=args.ops_database,
                    TableName=staged.name,
                    PartitionValueList=[run, value],
                    PartitionInput=partition_input(staged, [run, value], target),
                )
            done.append(entry)
    return done


def _rewrite_as_one_file(spark: SparkSession, table: str, files: list[str], target: str) -> int:
    """The rows of ``files`` as one file at ``target``; raises unless the rows (with
    their multiplicity) are the same in both."""
    schema = struct_of(list(find_table("ops", f"{STAGED_PREFIX}{table}").columns))
    before = spark.read.schema(schema).parquet(*files)
    io.delete(spark, target)  # a maintenance run killed midway left nobody pointing here
    before.coalesce(1).write.mode("overwrite").parquet(target)
    written = io.list_files(spark, target)
    after: DataFrame = spark.read.schema(schema).parquet(*written) if written else before.limit(0)
    if before.exceptAll(after).limit(1).count() or after.exceptAll(before).limit(1).count():
        io.delete(spark, target)
        raise MaintenanceRefused(f"compacted rows of {target} differ from its source files")
    return after.count()


def _expire(
    spark: SparkSession,
    args: MaintenanceArgs,
    catalog: Any,
    current_location: str,
    current: dict[str, dict[str, str]],
) -> list[dict[str, Any]]:
    records = run_records(spark, args.ops_root)
    previous_of = {
        r["run_id"]: r["previous_publication"]
        for r in records
        if r.get("status") == "PUBLISHED" and r.get("previous_publication")
    }
    named_by: dict[str, set[str]] = {}

    def runs_named_by(location: str) -> set[str]:
        if location not in named_by:
            snapshot = publication.read_publication(spark, location)
            named_by[location] = {
                run
                for parts in publication.published_runs(snapshot).values()
                for run in parts.values()
            }
        return named_by[location]

    kept = kept_publications(current_location, runs_named_by, previous_of)
    named = set().union(*(runs_named_by(loc) for loc in kept)) if kept else set()
    folders = {
        table: io.list_partition_values(spark, args.gold_staging_root, table, "run_id")
        for table in GOLD_TABLES
    }
    registrations = {t: _registrations(catalog, args.ops_database, t) for t in GOLD_TABLES}
    referenced: set[str] = set()
    readers_read: set[str] = set()
    for table, registered in registrations.items():
        for (run, value), location in registered.items():
            if run in named:
                referenced.add(run_folder_of(location) or run)
            if current.get(table, {}).get(value) == run:
                readers_read.add(run_folder_of(location) or run)
    staged = {run for runs in folders.values() for run in runs}
    latest = latest_staged_run(records, staged - {r for r in staged if r.startswith(RUN_PREFIX)})
    expire = runs_to_expire(staged, named, latest, referenced)
    if set(expire) & readers_read:  # the selection above must never allow this
        raise MaintenanceRefused(
            f"refusing to expire folders readers read: {sorted(set(expire) & readers_read)}"
        )
    out = []
    for run in expire:
        tables = sorted(t for t, runs in folders.items() if run in runs)
        keys = [(t, key) for t, registered in registrations.items() for key in registered]
        mine = [(t, list(key)) for t, key in keys if key[0] == run]
        if not args.dry_run:  # registrations first: none ever points at a deleted folder
            for table, values in mine:
                catalog.delete_partition(
                    DatabaseName=args.ops_database,
                    TableName=f"{STAGED_PREFIX}{table}",
                    PartitionValues=values,
                )
            for table in tables:
                io.delete(spark, join(args.gold_staging_root, table, f"run_id={run}"))
        out.append({"run_id": run, "tables": tables, "registrations": len(mine)})
    return out


def rerun_horizon_days() -> int:
    """contracts/_layers.json ``retention.rerun_horizon_days``."""
    return int(layers()["retention"]["rerun_horizon_days"])


def _retention(spark: SparkSession, args: MaintenanceArgs) -> dict[str, Any]:
    horizon = rerun_horizon_days()
    newest = newest_published_run_date(spark, args.ops_root)
    cutoff = retention_cutoff(newest, horizon)
    dropped = []
    for entity in SOURCE_ENTITIES:
        values = io.list_partition_values(spark, args.bronze_root, entity, BRONZE_PARTITION)
        for value in dates_to_drop(values, cutoff):
            if not args.dry_run:
                io.delete(spark, partition_path(args.bronze_root, entity, BRONZE_PARTITION, value))
            dropped.append({"dataset": f"bronze/{entity}", BRONZE_PARTITION: value})
    return {
        "rerun_horizon_days": horizon,
        "newest_published_run_date": newest,
        "cutoff": cutoff,
        "dropped": dropped,
        "silver_change_log": CHANGE_LOG_KEPT,
    }


def summary_lines(report: Mapping[str, Any]) -> list[str]:
    """One line per action and a final line (what ``lakehouse maintain`` prints)."""
    verb = "would " if report["dry_run"] else ""
    lines = [
        f"{verb}compact {c['table']} {c['partition_value']} (run {c['run_id']}): "
        f"{c['files_before']} -> {c['files_after']} files"
        for c in report["compacted"]
    ]
    lines += [
        f"{verb}expire gold_staging run {e['run_id']} ({len(e['tables'])} tables, "
        f"{e['registrations']} staged partitions unregistered)"
        for e in report["expired"]
    ]
    retention = report["retention"]
    lines += [
        f"{verb}drop {d['dataset']} {BRONZE_PARTITION}={d[BRONZE_PARTITION]} "
        f"(older than {retention['cutoff']})"
        for d in retention["dropped"]
    ]
    counts = (
        f"{len(report['compacted'])} partitions compacted, {len(report['expired'])} run "
        f"folders expired, {len(retention['dropped'])} bronze partitions dropped"
    )
    if report["dry_run"]:
        counts = (
            f"dry run, nothing changed: would compact {len(report['compacted'])} partitions, "
            f"expire {len(report['expired'])} run folders, drop {len(retention['dropped'])} "
            "bronze partitions"
        )
    lines.append(
        f"{report['run_id']}: {counts} (rerun horizon {retention['rerun_horizon_days']} days)"
    )
    return lines


# -- clients --------------------------------------------------------------------------
def local_lake_dir(ops_root: str) -> str:
    """The local lake holding ``ops_root`` (``<lake>/<analytics bucket>/ops``)."""
    role, prefix = PREFIXES["ops_root"]
    path = to_local_path(ops_root)
    if path.name != prefix or path.parent.name != local_bucket_name(role):
        raise ValueError(f"--ops_root {ops_root} is not the ops root of a local lake")
    return str(path.parent.parent)


def clients(ops_root: str) -> tuple[Any, Callable[[dict], dict]]:
    """(Glue catalog client, DynamoDB GetItem): boto3 on AWS, the local lake's stand-ins."""
    from lakehouse.runtime import is_local

    if is_local():
        from lakehouse.local.catalog import LocalGlueCatalog
        from lakehouse.local.dynamodb import LocalDynamoDB

        lake = local_lake_dir(ops_root)
        return LocalGlueCatalog(lake), LocalDynamoDB(lake).get_item
    import boto3

    dynamodb = boto3.client("dynamodb")
    return boto3.client("glue"), lambda params: dynamodb.get_item(**params)
