"""One function per Glue job: read its inputs, call the pure transforms, write its
outputs partition-safely and record its counts. Entry scripts in glue_jobs/ only parse
arguments and call these."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import reduce
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
    rebuild_from: str | None = None,
) -> dict[str, Any]:
    """Bronze of one entity and date. Raises
    :class:`lakehouse.maintenance.RerunBeyondHorizonError` before reading or writing
    anything for a date beyond the rerun horizon, and for a rebuild (``rebuild_from``,
    the run's first job) :class:`RebuildError` or that error when the rebuild cannot be
    done (:func:`refuse_rebuild`), before silver is marked pending."""
    refuse_beyond_rerun_horizon(spark, ops_root, ctx.run_date)
    if rebuild_from is not None:
        refuse_rebuild(spark, ops_root, rebuild_from, ctx.run_date)
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
    rebuild_from: str | None = None,
) -> dict[str, Any]:
    """Silver of one entity for the run date: its bronze rows validated, the failing
    ones quarantined, the accepted events written to the change log
    (``<entity>_changes``, partition ``ingest_date``) and merged into the partitions
    they touch. Returns the metrics record of the run date.

    ``rebuild_from`` (a date D1 <= the run date, ``lakehouse rebuild``): every ingest
    date from D1 to the run date is derived again from bronze (quarantine and change log
    partitions rewritten, one metrics record per date), and silver is rebuilt from
    empty: the newest event per key of the whole change log (dates before D1 as they
    are) replaces every partition, so a state damaged by a bug or a lost file is
    recomputed, not merged into. Raises :class:`RebuildError` when D1 is after the run
    date or the change log holds a date after the run date (the rebuild would drop
    it), :class:`lakehouse.maintenance.RerunBeyondHorizonError` when D1 is beyond the
    rerun horizon (its bronze may be gone)."""
    # finish a half-done commit first
    silver_commit.recover(spark, contract, silver_root, rebuilding=rebuild_from is not None)
    if rebuild_from is None:
        derived = {
            ctx.run_date: _derive_changes(
                spark,
                contract,
                ctx,
                ctx.run_date,
                bronze_root=bronze_root,
                silver_root=silver_root,
                quarantine_root=quarantine_root,
                pii_key=pii_key,
            )
        }
    else:
        dates = _rebuild_dates(
            spark, contract, ctx, rebuild_from, bronze_root, silver_root, ops_root
        )
        derived = {
            d: _derive_changes(
                spark,
                contract,
                ctx,
                d,
                bronze_root=bronze_root,
                silver_root=silver_root,
                quarantine_root=quarantine_root,
                pii_key=pii_key,
            )
            for d in dates
        }
    with timed("silver.changes", entity=contract.name):
        ingested = [ctx.run_date] if rebuild_from is None else None  # None: every date
        events = io.read_partitions(
            spark,
            silver_root,
            contract.name + CHANGES,
            BRONZE_PARTITION,
            ingested,
            _changes_schema(contract),
        ).drop(BRONZE_PARTITION)
        batch_newest = events.transform(silver.newest_per_key(contract)).cache()
        part = contract.partition.column
        per_partition = batch_newest.groupBy(part).count().collect()
        touched = sorted(r[part] for r in per_partition)
        keys_in_batch = sum(r["count"] for r in per_partition)
        unique_count = (
            derived[ctx.run_date]["unique_events"] if rebuild_from is None else events.count()
        )
        if rebuild_from is not None:  # every stored partition is rewritten, emptied if need be
            stored = set(io.list_partition_values(spark, silver_root, contract.name, part))
            stored |= set(
                io.list_partition_values(spark, silver_root, contract.name + TOMBSTONES, part)
            )
            touched = sorted(stored | set(touched))

    with timed("silver.merge", entity=contract.name):
        merge_counts = _merge_touched(
            spark,
            contract,
            ctx,
            batch_newest,
            silver_root,
            touched,
            from_empty=rebuild_from is not None,
        )
    batch_newest.unpersist()
    batch = {
        "touched_partitions": touched,
        "partition_column": part,
        "superseded_in_batch": unique_count - keys_in_batch,
        "keys_in_batch": keys_in_batch,
        "stale_ignored": keys_in_batch - merge_counts["applied"],
        **merge_counts,
    }
    if rebuild_from is not None:
        batch["rebuild_from"] = rebuild_from
        for d in sorted(derived):  # the dates before the run date: their own counts
            if d != ctx.run_date:
                write_metrics(
                    spark,
                    ops_root,
                    "silver",
                    contract.name,
                    d,
                    ctx.run_id,
                    rebuilt_by=ctx.run_id,
                    **_date_counts(derived[d]),
                )
    record = write_metrics(
        spark,
        ops_root,
        "silver",
        contract.name,
        ctx.run_date,
        ctx.run_id,
        **_date_counts(derived[ctx.run_date]),
        **batch,
    )
    return ctx.send_metrics(record)


class RebuildError(ValueError):
    """A rebuild that cannot be done as asked (dates out of order, history after it)."""


# The silver and gold jobs' --rebuild_from when the run is not a rebuild: the state
# machine always passes the argument (its Defaults state), and a Glue job argument is
# never left empty.
NO_REBUILD = "none"


def rebuild_from_argument(value: str) -> str | None:
    """``--rebuild_from`` of the silver and gold jobs: None for ``none`` (a daily run),
    else the date (YYYY-MM-DD; JobArgumentError otherwise)."""
    from lakehouse.runtime import check_run_date

    return None if value == NO_REBUILD else check_run_date(value)


def refuse_rebuild(spark: SparkSession, ops_root: str, rebuild_from: str, run_date: str) -> None:
    """Raise :class:`RebuildError` for a rebuild from ``rebuild_from`` to ``run_date``
    whose first date is after its last or that stops before the newest published run
    date (silver would lose that date's changes), and
    :class:`lakehouse.maintenance.RerunBeyondHorizonError` when its first date is beyond
    the rerun horizon (its bronze may be gone)."""
    from lakehouse.maintenance import newest_published_run_date
    from lakehouse.runtime import check_run_date

    check_run_date(rebuild_from)
    if rebuild_from > run_date:
        raise RebuildError(
            f"rebuild from {rebuild_from} to {run_date}: the first date is after the last"
        )
    newest = newest_published_run_date(spark, ops_root)
    if newest is not None and newest > run_date:
        raise RebuildError(
            f"rebuild to {run_date}: {newest} is published, and a rebuild to {run_date} would "
            f"leave its changes out of silver; rebuild to {newest}"
        )
    refuse_beyond_rerun_horizon(spark, ops_root, rebuild_from)


def _rebuild_dates(
    spark: SparkSession,
    contract: Contract,
    ctx: RunContext,
    rebuild_from: str,
    bronze_root: str,
    silver_root: str,
    ops_root: str,
) -> list[str]:
    """The ingest dates a rebuild derives again: D1..the run date, each date that has
    bronze or change log partitions, and the run date itself."""
    refuse_rebuild(spark, ops_root, rebuild_from, ctx.run_date)
    logged = set(
        io.list_partition_values(spark, silver_root, contract.name + CHANGES, BRONZE_PARTITION)
    )
    if later := sorted(d for d in logged if d > ctx.run_date):
        raise RebuildError(
            f"rebuild of {contract.name} to {ctx.run_date}: its change log holds later ingest dates "
            f"({', '.join(later[:3])}{', ...' if len(later) > 3 else ''}) that a rebuild to "
            f"{ctx.run_date} would leave out of silver; rebuild to {later[-1]}"
        )
    landed = set(io.list_partition_values(spark, bronze_root, contract.name, BRONZE_PARTITION))
    return sorted(
        {d for d in landed | logged if rebuild_from <= d <= ctx.run_date} | {ctx.run_date}
    )


def _date_counts(derived: dict[str, Any]) -> dict[str, Any]:
    """The metrics of one ingest date's derivation (the record's per-date fields)."""
    return {
        "bronze_rows": derived["bronze_rows"],
        "accepted": derived["accepted"],
        "quarantined": derived["quarantined"],
        "quarantine_reasons": derived["quarantine_reasons"],
        "duplicate_events": derived["accepted"] - derived["unique_events"],
    }


def _derive_changes(
    spark: SparkSession,
    contract: Contract,
    ctx: RunContext,
    ingest_date: str,
    *,
    bronze_root: str,
    silver_root: str,
    quarantine_root: str,
    pii_key: str,
) -> dict[str, Any]:
    """One ingest date's bronze rows validated: the failing ones to quarantine, the
    accepted events (PII protected, duplicates dropped) to the change log partition of
    that date; both partitions overwritten (removed when empty). Returns the counts:
    bronze_rows, accepted, quarantined, quarantine_reasons {reason: rows},
    unique_events (int)."""
    bronze_schema = struct_of(bronze_columns(contract))
    batch = io.read_partitions(
        spark, bronze_root, contract.name, BRONZE_PARTITION, [ingest_date], bronze_schema
    )
    validated = batch.transform(validate(contract, ingest_date)).cache()
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
            [ingest_date],
            present={ingest_date} if quarantined else set(),
        )

    with timed("silver.changes", entity=contract.name):
        unique_events = validated.transform(silver.accepted_events(contract, pii_key)).transform(
            silver.drop_duplicate_events(contract)
        )
        changes = unique_events.withColumn(BRONZE_PARTITION, F.lit(ingest_date))
        io.overwrite_partitions(
            changes.repartition(1).sortWithinPartitions(*contract.business_key, silver.ORDERING),
            silver_root,
            contract.name + CHANGES,
            BRONZE_PARTITION,
            [ingest_date],
            present={ingest_date} if bronze_rows > quarantined else set(),
        )
        validated.unpersist()
        # Read back what was written: the merge works from stored, typed events.
        unique = io.read_partitions(
            spark,
            silver_root,
            contract.name + CHANGES,
            BRONZE_PARTITION,
            [ingest_date],
            _changes_schema(contract),
        ).count()
    return {
        "bronze_rows": bronze_rows,
        "accepted": bronze_rows - quarantined,
        "quarantined": quarantined,
        "quarantine_reasons": dict(sorted(reason_counts.items())),
        "unique_events": unique,
    }


def _merge_touched(
    spark: SparkSession,
    contract: Contract,
    ctx: RunContext,
    batch_newest: DataFrame,
    silver_root: str,
    touched: list[str],
    *,
    from_empty: bool = False,
) -> dict[str, int]:
    """Merge the batch into the stored state of the touched partitions (``from_empty``:
    into nothing, a rebuild); the result is staged and journalled before any partition
    is overwritten (lakehouse/silver_commit.py). Returns counts of what the batch
    changed."""
    schema = _silver_schema(contract)
    part = contract.partition.column
    stored = [] if from_empty else touched  # no partition read: an empty state
    live = io.read_partitions(spark, silver_root, contract.name, part, stored, schema)
    tombstones = io.read_partitions(
        spark, silver_root, contract.name + TOMBSTONES, part, stored, schema
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
    rebuild_from: str | None = None,
) -> dict[str, Any]:
    """Gold of the touched dates (and of the ISO weeks and months holding them, whole)
    and the run date's snapshots, staged; the next publication written beside the
    current one (``publication_location``); the manifest the state machine registers,
    checks and publishes from.

    ``rebuild_from`` (a date D1, ``lakehouse rebuild``, after silver was rebuilt): every
    order date silver holds is touched (each ISO week and month whole), and the
    snapshots of every date from D1 to the run date that ran (has a change log
    partition) are staged, each as of its own date."""
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
    if rebuild_from is None:
        touched = {r[0] for r in order_changes.select("order_date").distinct().collect()}
        fx_days = fx_changes.select(
            F.explode(
                F.sequence("rate_date", F.date_add("rate_date", gold.FX_LOOKBACK_DAYS))
            ).alias("d")
        )
        touched |= {r[0].isoformat() for r in fx_days.distinct().collect()} & order_dates
        snapshot_dates = today
    else:
        touched = order_dates
        ran = {
            d
            for c in (orders_c, customers_c, fx_c)
            for d in io.list_partition_values(
                spark, silver_root, c.name + CHANGES, BRONZE_PARTITION
            )
        }
        snapshot_dates = sorted({d for d in ran if rebuild_from <= d <= ctx.run_date} | set(today))
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
    dims, values, histories = [], [], []
    for day in snapshot_dates:
        known_by_then = F.col(BRONZE_PARTITION) <= F.lit(day)
        history_then = gold.customer_history(customer_changes.where(known_by_then)).cache()
        current_then = history_then.where(F.col("is_current") & ~F.col("is_deleted"))
        orders_then = _state_as_of(spark, silver_root, orders_c, day)
        fx_then = _state_as_of(spark, silver_root, fx_c, day)
        orders_then_usd = orders_then.transform(gold.with_usd(fx_then)).transform(
            gold.with_country(history_then)
        )
        dims.append(gold.dim_customer(history_then, day))
        values.append(gold.customer_value(current_then, orders_then_usd, day))
        histories.append(history_then)

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
        "dim_customer": (reduce(DataFrame.unionByName, dims), snapshot_dates),
        "customer_value": (reduce(DataFrame.unionByName, values), snapshot_dates),
    }
    tables = []
    for table, (rows, values) in outputs.items():
        with timed("gold.stage", table=table):
            column = load(table).partition.column
            tables.append(_stage_table(rows, gold_staging_root, table, ctx, column, values))
    orders_usd.unpersist()
    history.unpersist()
    for history_then in histories:
        history_then.unpersist()
    with timed("gold.publication"):
        current = publication.read_publication(spark, publication_location)
        snapshot = publication.next_publication(current, ctx.run_id, tables)
        publish = publication.write_publication(spark, ops_root, ctx.run_id, snapshot)
    manifest = {
        "run_date": ctx.run_date,
        "run_id": ctx.run_id,
        "touched_order_dates": touched_dates,
        **({} if rebuild_from is None else {"rebuild_from": rebuild_from}),
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
