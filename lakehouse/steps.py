"""One function per Glue job: read its inputs, call the pure transforms, write its
outputs partition-safely and record its counts. Entry scripts in glue_jobs/ only parse
arguments and call these."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from lakehouse import bronze, io, publication, silver, silver_commit
from lakehouse.contracts import Contract, layers
from lakehouse.contracts.catalog import bronze_columns
from lakehouse.layout import join, raw_entity_root
from lakehouse.logs import timed
from lakehouse.maintenance import refuse_beyond_rerun_horizon
from lakehouse.metrics import send_job_metrics, write_metrics
from lakehouse.quality import REASONS, validate
from lakehouse.schemas import struct_of

BRONZE_PARTITION = layers()["bronze"]["partition"]["column"]
QUARANTINE_PARTITION = layers()["quarantine"]["partition"]["column"]
TOMBSTONES = layers()["silver"]["tombstone_suffix"]
CHANGES = "_changes"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class RunContext:
    run_date: str
    run_id: str
    environment: str  # the deployment's env (dev, prod; local): a metric dimension
    started: float = field(default_factory=time.monotonic)  # the job's start, monotonic

    @classmethod
    def from_args(cls, args: dict[str, str], started: float | None = None) -> RunContext:
        """``started``: ``time.monotonic()`` when the job started (the entry script's
        first line), so the job's duration includes its session start."""
        from lakehouse.runtime import JobArgumentError, check_run_date

        environment = args.get("environment", "")
        if not environment.strip():
            raise JobArgumentError("--environment must name the deployment (dev, prod, local)")
        return cls(
            run_date=check_run_date(args["run_date"]),
            run_id=args["run_id"],
            environment=environment,
            started=time.monotonic() if started is None else started,
        )

    def send_metrics(self, record: dict[str, Any]) -> dict[str, Any]:
        """The job's metrics record sent as CloudWatch metrics (lakehouse.metrics), with
        its duration from the job's start; returns the record unchanged."""
        send_job_metrics(record, self.environment, self.started)
        return record


def run_bronze(
    spark: SparkSession,
    contract: Contract,
    ctx: RunContext,
    *,
    raw_root: str,
    bronze_root: str,
    ops_root: str,
) -> dict[str, Any]:
    """Bronze of one entity and date. Raises
    :class:`lakehouse.maintenance.RerunBeyondHorizonError` before reading or writing
    anything for a date beyond the rerun horizon."""
    refuse_beyond_rerun_horizon(spark, ops_root, ctx.run_date)
    landing = join(
        raw_entity_root(raw_root, contract.source, contract.name),
        f"{BRONZE_PARTITION}={ctx.run_date}",
    )
    files = io.list_files(spark, landing)
    with timed("bronze.count_raw", entity=contract.name):
        raw = _raw_line_counts(spark, files, csv=contract.format == "csv")
    with timed("bronze.write", entity=contract.name):
        rows = bronze.ingest(
            spark,
            contract,
            files,
            run_id=ctx.run_id,
            ingested_at=now_iso(),
            ingest_date=ctx.run_date,
        )
        io.overwrite_partitions(
            rows.repartition(1).sortWithinPartitions("_source_file", "_line_number"),
            bronze_root,
            contract.name,
            BRONZE_PARTITION,
            [ctx.run_date],
            present={ctx.run_date} if raw["raw_data_lines"] else set(),
        )
    with timed("bronze.count_written", entity=contract.name):
        written = io.read_partitions(
            spark,
            bronze_root,
            contract.name,
            BRONZE_PARTITION,
            [ctx.run_date],
            struct_of(bronze_columns(contract)),
        )
        counts = written.agg(
            F.count(F.lit(1)).alias("rows"),
            F.sum(F.col("_is_malformed").cast("int")).alias("malformed"),
        ).first()
    record = write_metrics(
        spark,
        ops_root,
        "bronze",
        contract.name,
        ctx.run_date,
        ctx.run_id,
        raw_files=len(files),
        raw_files_list=files,
        empty_day_allowed=int(contract.allow_empty_day),
        **raw,
        bronze_rows=counts["rows"],
        malformed_rows=counts["malformed"] or 0,
    )
    return ctx.send_metrics(record)


def _raw_line_counts(spark: SparkSession, files: list[str], csv: bool) -> dict[str, int]:
    """Lines in the landing files, counted independently of the parser: the raw ->
    bronze reconciliation compares this with the rows bronze wrote. Blank (empty or
    whitespace-only) lines are not data; a CSV file's header is its first non-blank
    line, so an empty or all-blank file has no header and adds 0 data lines."""
    if not files:
        return {"raw_data_lines": 0, "blank_lines_skipped": 0}
    per_file = (
        bronze.read_text(spark, files)
        .groupBy(bronze.SOURCE_FILE)
        .agg(
            F.count(F.lit(1)).alias("lines"),
            F.sum(bronze.is_blank().cast("int")).alias("blank"),
        )
        .collect()
    )
    lines = sum(r["lines"] for r in per_file)
    blank = sum(r["blank"] or 0 for r in per_file)
    headers = sum(1 for r in per_file if r["lines"] > (r["blank"] or 0)) if csv else 0
    return {"raw_data_lines": lines - blank - headers, "blank_lines_skipped": blank}


def _silver_schema(contract: Contract) -> T.StructType:
    from lakehouse.contracts.catalog import silver_columns

    return struct_of(silver_columns(contract))


def run_silver(
    spark: SparkSession,
    contract: Contract,
    ctx: RunContext,
    *,
    bronze_root: str,
    silver_root: str,
    quarantine_root: str,
    ops_root: str,
    pii_key: str,
) -> dict[str, Any]:
    silver_commit.recover(spark, contract, silver_root)  # finish a half-done commit first
    bronze_schema = struct_of(bronze_columns(contract))
    batch = io.read_partitions(
        spark, bronze_root, contract.name, BRONZE_PARTITION, [ctx.run_date], bronze_schema
    )
    validated = batch.transform(validate(contract, ctx.run_date)).cache()
    with timed("silver.validate", entity=contract.name):
        reason_counts = {
            r["reason"]: r["count"]
            for r in validated.select(F.explode(REASONS).alias("reason"))
            .groupBy("reason")
            .count()
            .collect()
        }
        totals = validated.agg(
            F.count(F.lit(1)).alias("rows"), F.sum((F.size(REASONS) > 0).cast("int")).alias("bad")
        ).first()
    bronze_rows, quarantined = totals["rows"], totals["bad"] or 0

    with timed("silver.quarantine", entity=contract.name):
        rejected = validated.transform(silver.quarantine_rows(contract, ctx.run_id, now_iso()))
        io.overwrite_partitions(
            rejected.repartition(1).sortWithinPartitions("_source_file", "_line_number"),
            quarantine_root,
            contract.name,
            QUARANTINE_PARTITION,
            [ctx.run_date],
            present={ctx.run_date} if quarantined else set(),
        )

    with timed("silver.changes", entity=contract.name):
        unique_events = validated.transform(silver.accepted_events(contract, pii_key)).transform(
            silver.drop_duplicate_events(contract)
        )
        changes = unique_events.withColumn(BRONZE_PARTITION, F.lit(ctx.run_date))
        io.overwrite_partitions(
            changes.repartition(1).sortWithinPartitions(*contract.business_key, silver.ORDERING),
            silver_root,
            contract.name + CHANGES,
            BRONZE_PARTITION,
            [ctx.run_date],
            present={ctx.run_date} if bronze_rows > quarantined else set(),
        )
        validated.unpersist()
        # Read back what was written: the merge works from stored, typed events.
        events = io.read_partitions(
            spark,
            silver_root,
            contract.name + CHANGES,
            BRONZE_PARTITION,
            [ctx.run_date],
            _changes_schema(contract),
        ).drop(BRONZE_PARTITION)
        batch_newest = events.transform(silver.newest_per_key(contract)).cache()
        part = contract.partition.column
        per_partition = batch_newest.groupBy(part).count().collect()
        touched = sorted(r[part] for r in per_partition)
        keys_in_batch = sum(r["count"] for r in per_partition)
        unique_count = events.count()

    with timed("silver.merge", entity=contract.name):
        merge_counts = _merge_touched(spark, contract, ctx, batch_newest, silver_root, touched)
    batch_newest.unpersist()
    accepted = bronze_rows - quarantined
    record = write_metrics(
        spark,
        ops_root,
        "silver",
        contract.name,
        ctx.run_date,
        ctx.run_id,
        touched_partitions=touched,
        partition_column=part,
        bronze_rows=bronze_rows,
        accepted=accepted,
        quarantined=quarantined,
        quarantine_reasons=dict(sorted(reason_counts.items())),
        duplicate_events=accepted - unique_count,
        superseded_in_batch=unique_count - keys_in_batch,
        keys_in_batch=keys_in_batch,
        stale_ignored=keys_in_batch - merge_counts["applied"],
        **merge_counts,
    )
    return ctx.send_metrics(record)


def _merge_touched(
    spark: SparkSession,
    contract: Contract,
    ctx: RunContext,
    batch_newest: DataFrame,
    silver_root: str,
    touched: list[str],
) -> dict[str, int]:
    """Merge the batch into the stored state of the touched partitions; the result is
    staged and journalled before any partition is overwritten (lakehouse/silver_commit.py).
    Returns counts of what the batch changed."""
    schema = _silver_schema(contract)
    part = contract.partition.column
    live = io.read_partitions(spark, silver_root, contract.name, part, touched, schema)
    tombstones = io.read_partitions(
        spark, silver_root, contract.name + TOMBSTONES, part, touched, schema
    )
    new_live, new_tombstones = silver.merge(contract, batch_newest, live, tombstones)
    merged = new_live.withColumn(silver_commit.TOMBSTONE_FLAG, F.lit(False)).unionByName(
        new_tombstones.withColumn(silver_commit.TOMBSTONE_FLAG, F.lit(True))
    )
    journal = silver_commit.stage(spark, contract, silver_root, merged, ctx, touched)
    staged = spark.read.parquet(journal["staging"])
    from_batch = staged.join(
        batch_newest.select("_record_hash"), on="_record_hash", how="left_semi"
    )
    applied = {
        r[silver_commit.TOMBSTONE_FLAG]: r["count"]
        for r in from_batch.groupBy(silver_commit.TOMBSTONE_FLAG).count().collect()
    }
    silver_commit.apply(spark, contract, silver_root, journal)
    return {
        "applied": sum(applied.values()),
        "deletes_applied": applied.get(True, 0),
        "live_rows_in_touched_partitions": journal["live_rows"],
    }


def _changes_schema(contract: Contract) -> T.StructType:
    from lakehouse.contracts.catalog import silver_columns

    extra = [(contract.partition.column, "string"), (silver.ORDERING, "string")]
    return struct_of([*silver_columns(contract), *extra])


def gold_partition_location(
    gold_staging_root: str, table: str, run_id: str, column: str, value: str
) -> str:
    return join(gold_staging_root, table, f"run_id={run_id}", f"{column}={value}")


def _stage_table(
    df: DataFrame,
    gold_staging_root: str,
    table: str,
    ctx: RunContext,
    column: str,
    values: list[str],
) -> dict[str, Any]:
    """Write one gold table's partitions for this run to its staging folder; every
    listed partition gets a folder (an empty Parquet file when it has no rows), so
    publishing it really replaces what readers saw."""
    spark = df.sparkSession
    run_folder = join(gold_staging_root, table, f"run_id={ctx.run_id}")
    io.delete(spark, run_folder)  # a rerun of the same run id starts clean
    staged = df.repartition(column).sortWithinPartitions(*[c for c in df.columns if c != column])
    staged.write.mode("overwrite").partitionBy(column).parquet(run_folder)
    present = set(
        io.list_partition_values(spark, gold_staging_root, f"{table}/run_id={ctx.run_id}", column)
    )
    for value in sorted(set(values) - present):
        df.drop(column).limit(0).write.mode("overwrite").parquet(
            gold_partition_location(gold_staging_root, table, ctx.run_id, column, value)
        )
    rows = {
        r[column]: r["n"] for r in df.groupBy(column).agg(F.count(F.lit(1)).alias("n")).collect()
    }
    partitions = [
        {
            "values": [value],
            "location": gold_partition_location(
                gold_staging_root, table, ctx.run_id, column, value
            ),
            "rows": rows.get(value, 0),
        }
        for value in sorted(values)
    ]
    return {
        "table": table,
        "partition_column": column,
        "partitions": partitions,
        **publication.staged_registrations(table, ctx.run_id, partitions),
    }


def run_gold(
    spark: SparkSession,
    ctx: RunContext,
    *,
    silver_root: str,
    gold_staging_root: str,
    ops_root: str,
    publication_location: str,
) -> dict[str, Any]:
    """Gold of the touched dates (and of the ISO weeks and months holding them, whole)
    and the run date's snapshots, staged; the next publication written beside the
    current one (``publication_location``); the manifest the state machine registers,
    checks and publishes from."""
    from lakehouse import gold
    from lakehouse.contracts import load
    from lakehouse.contracts.catalog import silver_columns

    orders_c, customers_c, fx_c = load("orders"), load("customers"), load("fx_rates")
    today = [ctx.run_date]
    order_changes = io.read_partitions(
        spark, silver_root, "orders" + CHANGES, BRONZE_PARTITION, today, _changes_schema(orders_c)
    )
    fx_changes = io.read_partitions(
        spark, silver_root, "fx_rates" + CHANGES, BRONZE_PARTITION, today, _changes_schema(fx_c)
    )
    order_dates = set(io.list_partition_values(spark, silver_root, "orders", "order_date"))
    touched = {r[0] for r in order_changes.select("order_date").distinct().collect()}
    fx_days = fx_changes.select(
        F.explode(F.sequence("rate_date", F.date_add("rate_date", gold.FX_LOOKBACK_DAYS))).alias(
            "d"
        )
    )
    touched |= {r[0].isoformat() for r in fx_days.distinct().collect()} & order_dates
    touched_dates = sorted(touched)

    orders = io.read_partitions(
        spark, silver_root, "orders", "order_date", None, struct_of(silver_columns(orders_c))
    )
    fx = io.read_partitions(
        spark, silver_root, "fx_rates", "rate_month", None, struct_of(silver_columns(fx_c))
    )
    customer_changes = io.read_partitions(
        spark,
        silver_root,
        "customers" + CHANGES,
        BRONZE_PARTITION,
        None,
        _changes_schema(customers_c),
    )
    # Event-date tables (daily sales of the touched order dates) use everything known
    # now: a rerun of an old date never takes readers back to an older state.
    history = gold.customer_history(customer_changes).cache()
    orders_usd = orders.transform(gold.with_usd(fx)).transform(gold.with_country(history)).cache()
    in_touched = orders_usd.where(F.col("order_date").isin(touched_dates))
    # Snapshot tables of date D hold the state as of D: only changes ingested up to D,
    # so a rerun of D, in any order with other dates, gives the same snapshot.
    known_by_then = F.col(BRONZE_PARTITION) <= F.lit(ctx.run_date)
    history_then = gold.customer_history(customer_changes.where(known_by_then)).cache()
    current_then = history_then.where(F.col("is_current") & ~F.col("is_deleted"))
    orders_then = _state_as_of(spark, silver_root, orders_c, ctx.run_date)
    fx_then = _state_as_of(spark, silver_root, fx_c, ctx.run_date)
    orders_then_usd = orders_then.transform(gold.with_usd(fx_then)).transform(
        gold.with_country(history_then)
    )

    # Weekly and monthly sales recompute every week / month holding a touched date, whole.
    touched_weeks = sorted({gold.iso_week_of(d) for d in touched_dates})
    touched_months = sorted({gold.order_month_of(d) for d in touched_dates})
    in_touched_weeks = orders_usd.where(gold.iso_week(F.col("order_date")).isin(touched_weeks))
    in_touched_months = orders_usd.where(gold.order_month(F.col("order_date")).isin(touched_months))

    with timed("gold.prepare"):
        orders_usd.count()
    # table -> (rows, the partitions this run rewrites); partition columns per contract
    outputs = {
        "daily_sales": (gold.daily_sales(in_touched), touched_dates),
        "weekly_sales": (gold.weekly_sales(in_touched_weeks), touched_weeks),
        "monthly_sales": (gold.monthly_sales(in_touched_months), touched_months),
        "fact_orders": (gold.fact_orders(in_touched), touched_dates),
        "order_status_daily": (gold.order_status_daily(in_touched), touched_dates),
        "dim_customer": (gold.dim_customer(history_then, ctx.run_date), today),
        "customer_value": (
            gold.customer_value(current_then, orders_then_usd, ctx.run_date),
            today,
        ),
    }
    tables = []
    for table, (rows, values) in outputs.items():
        with timed("gold.stage", table=table):
            column = load(table).partition.column
            tables.append(_stage_table(rows, gold_staging_root, table, ctx, column, values))
    orders_usd.unpersist()
    history.unpersist()
    history_then.unpersist()
    with timed("gold.publication"):
        current = publication.read_publication(spark, publication_location)
        snapshot = publication.next_publication(current, ctx.run_id, tables)
        publish = publication.write_publication(spark, ops_root, ctx.run_id, snapshot)
    manifest = {
        "run_date": ctx.run_date,
        "run_id": ctx.run_id,
        "touched_order_dates": touched_dates,
        "tables": tables,
        "publication": publish,
    }
    io.write_json(spark, gold_manifest_location(ops_root, ctx.run_date), manifest)
    counts = {t["table"]: sum(p["rows"] for p in t["partitions"]) for t in tables}
    record = write_metrics(
        spark,
        ops_root,
        "gold",
        "all",
        ctx.run_date,
        ctx.run_id,
        rows_staged=counts,
        touched_order_dates=touched_dates,
    )
    ctx.send_metrics(record)
    return manifest


def _state_as_of(
    spark: SparkSession, silver_root: str, contract: Contract, run_date: str
) -> DataFrame:
    """The entity's live rows as they stood after ``run_date``'s run: per key the
    newest event of the change log partitions ingested up to that date, deletes
    removed; silver's columns and partition column."""
    from lakehouse.contracts.catalog import silver_columns

    ingested = io.list_partition_values(
        spark, silver_root, contract.name + CHANGES, BRONZE_PARTITION
    )
    events = io.read_partitions(
        spark,
        silver_root,
        contract.name + CHANGES,
        BRONZE_PARTITION,
        [d for d in ingested if d <= run_date],
        _changes_schema(contract),
    )
    newest = events.transform(silver.newest_per_key(contract))
    columns = [name for name, _ in silver_columns(contract)] + [contract.partition.column]
    return newest.where(F.col(silver.OP) != silver.DELETE).select(*columns)


def gold_manifest_location(ops_root: str, run_date: str) -> str:
    return join(ops_root, "gold_manifest", f"run_date={run_date}", "manifest.json")


def run_manifest_location(ops_root: str, run_date: str, run_id: str) -> str:
    """Where the state machine records how a run ended (RecordPublishedRun and the
    other Record* states of step_functions/daily_pipeline.asl.json)."""
    return join(ops_root, "run_manifest", f"run_date={run_date}", f"{run_id}.json")


def rollback_manifest_location(ops_root: str, run_date: str) -> str:
    return join(ops_root, "rollback_manifest", f"run_date={run_date}", "manifest.json")


class NothingToRollBack(Exception):
    """A rollback of a date whose readers see no run of it that can be rolled back."""


def run_rollback(
    spark: SparkSession, ctx: RunContext, *, ops_root: str, publication_location: str
) -> dict[str, Any]:
    """Readers of ``ctx.run_date`` back on what they saw before the run of that date
    they see now: the newest PUBLISHED run of the date that still owns partitions of the
    current publication (``publication_location``) is the one rolled back; each of its
    partitions points again at the run the publication it replaced named (the
    ``previous_publication`` its run manifest records), or is unpublished where that
    publication had none. The new publication is written beside the others under this
    run's id and a manifest (``rollback_manifest_location``) gives the state machine
    its UpdateTable input; nothing readers see changes until that call.

    Raises NothingToRollBack (the job fails and the run alerts) when no visible run of
    the date can be rolled back. Silver is not changed: a rerun of the date rebuilds.
    """
    current = publication.read_publication(spark, publication_location)
    visible = {
        run for parts in publication.published_runs(current).values() for run in parts.values()
    }
    records = []
    for run_id in sorted(visible):
        location = run_manifest_location(ops_root, ctx.run_date, run_id)
        if io.exists(spark, location):
            record = json.loads(io.read_text(spark, location))
            if record.get("status") == "PUBLISHED":
                records.append(record)
    if not records:
        raise NothingToRollBack(
            f"nothing to roll back: readers see no published run of {ctx.run_date}"
        )
    target = max(records, key=lambda r: str(r.get("recorded_at", "")))
    previous_location = target.get("previous_publication")
    if not previous_location:
        raise NothingToRollBack(
            f"run {target['run_id']} of {ctx.run_date} did not record the publication it "
            f"replaced (it ran before rollback existed): rerun {ctx.run_date} instead"
        )
    previous = publication.read_publication(spark, previous_location)
    snapshot, changes = publication.rolled_back(current, previous, target["run_id"])
    publish = publication.write_publication(spark, ops_root, ctx.run_id, snapshot)
    manifest = {
        "run_date": ctx.run_date,
        "run_id": ctx.run_id,
        "rolled_back_run": target["run_id"],
        "restored_publication": previous_location,
        "partitions": changes,
        "publication": publish,
    }
    io.write_json(spark, rollback_manifest_location(ops_root, ctx.run_date), manifest)
    return manifest
