"""One function per Glue job: read its inputs, call the pure transforms, write its
outputs partition-safely and record its counts. Entry scripts in glue_jobs/ only parse
arguments and call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from lakehouse import bronze, io, silver
from lakehouse.contracts import Contract, layers
from lakehouse.contracts.catalog import bronze_columns, quarantine_columns
from lakehouse.layout import join, partition_path, raw_entity_root
from lakehouse.metrics import write_metrics
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

    @classmethod
    def from_args(cls, args: dict[str, str]) -> RunContext:
        from lakehouse.runtime import check_run_date

        return cls(run_date=check_run_date(args["run_date"]), run_id=args["run_id"])


def run_bronze(
    spark: SparkSession,
    contract: Contract,
    ctx: RunContext,
    *,
    raw_root: str,
    bronze_root: str,
    ops_root: str,
) -> dict[str, Any]:
    landing = join(
        raw_entity_root(raw_root, contract.source, contract.name),
        f"{BRONZE_PARTITION}={ctx.run_date}",
    )
    files = io.list_files(spark, landing)
    lines = bronze.read_lines(spark, files).cache()
    rows = bronze.ingest(
        spark, contract, files, run_id=ctx.run_id, ingested_at=now_iso(), ingest_date=ctx.run_date
    )
    ordered = rows.repartition(1).sortWithinPartitions("_source_file", "_line_number")
    io.overwrite_partitions(ordered, bronze_root, contract.name, BRONZE_PARTITION, [ctx.run_date])
    written = io.read_partitions(
        spark,
        bronze_root,
        contract.name,
        BRONZE_PARTITION,
        [ctx.run_date],
        struct_of(bronze_columns(contract)),
    )
    header_lines = len(files) if contract.format == "csv" else 0
    total_lines = lines.count()
    blank_lines = lines.where(F.trim("value") == "").count()
    lines.unpersist()
    counts = (
        written.groupBy()
        .agg(
            F.count(F.lit(1)).alias("rows"),
            F.sum(F.col("_is_malformed").cast("int")).alias("malformed"),
        )
        .first()
    )
    return write_metrics(
        spark,
        ops_root,
        "bronze",
        contract.name,
        ctx.run_date,
        ctx.run_id,
        raw_files=len(files),
        raw_files_list=files,
        raw_data_lines=total_lines - header_lines - blank_lines,
        blank_lines_skipped=blank_lines,
        bronze_rows=counts["rows"],
        malformed_rows=counts["malformed"] or 0,
    )


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
    batch = io.read_partitions(
        spark,
        bronze_root,
        contract.name,
        BRONZE_PARTITION,
        [ctx.run_date],
        struct_of(bronze_columns(contract)),
    )
    validated = batch.transform(validate(contract, ctx.run_date)).cache()

    quarantined = validated.transform(silver.quarantine_rows(contract, ctx.run_id, now_iso()))
    io.overwrite_partitions(
        quarantined.repartition(1).sortWithinPartitions("_source_file", "_line_number"),
        quarantine_root,
        contract.name,
        QUARANTINE_PARTITION,
        [ctx.run_date],
    )

    events = validated.transform(silver.accepted_events(contract, pii_key))
    unique_events = events.transform(silver.drop_duplicate_events(contract))
    changes = unique_events.withColumn(BRONZE_PARTITION, F.lit(ctx.run_date))
    io.overwrite_partitions(
        changes.repartition(1).sortWithinPartitions(*contract.business_key, silver.ORDERING),
        silver_root,
        contract.name + CHANGES,
        BRONZE_PARTITION,
        [ctx.run_date],
    )
    changes_written = io.read_partitions(
        spark,
        silver_root,
        contract.name + CHANGES,
        BRONZE_PARTITION,
        [ctx.run_date],
        changes.drop(BRONZE_PARTITION).schema,
    )
    batch_newest = changes_written.drop(BRONZE_PARTITION).transform(silver.newest_per_key(contract))
    touched = sorted(
        r[0] for r in batch_newest.select(contract.partition.column).distinct().collect()
    )

    schema = _silver_schema(contract)
    part = contract.partition.column
    live = io.read_partitions(spark, silver_root, contract.name, part, touched, schema)
    tombstones = io.read_partitions(
        spark, silver_root, contract.name + TOMBSTONES, part, touched, schema
    )
    new_live, new_tombstones = silver.merge(contract, batch_newest, live, tombstones)

    # Materialise the merge before overwriting the partitions it was read from.
    staging = join(silver_root, "_staging", contract.name, f"run_id={ctx.run_id}")
    merged = new_live.withColumn("_is_tombstone", F.lit(False)).unionByName(
        new_tombstones.withColumn("_is_tombstone", F.lit(True))
    )
    merged.write.mode("overwrite").parquet(staging)
    merged = spark.read.parquet(staging)
    sort_keys = [*contract.business_key]
    io.overwrite_partitions(
        merged.where(~F.col("_is_tombstone"))
        .drop("_is_tombstone")
        .repartition(part)
        .sortWithinPartitions(*sort_keys),
        silver_root,
        contract.name,
        part,
        touched,
    )
    io.overwrite_partitions(
        merged.where(F.col("_is_tombstone"))
        .drop("_is_tombstone")
        .repartition(part)
        .sortWithinPartitions(*sort_keys),
        silver_root,
        contract.name + TOMBSTONES,
        part,
        touched,
    )

    counts = _silver_counts(validated, events, unique_events, batch_newest, merged)
    validated.unpersist()
    io.delete(spark, staging)
    return write_metrics(
        spark,
        ops_root,
        "silver",
        contract.name,
        ctx.run_date,
        ctx.run_id,
        touched_partitions=touched,
        partition_column=part,
        **counts,
    )


def _silver_counts(
    validated: DataFrame,
    events: DataFrame,
    unique_events: DataFrame,
    batch_newest: DataFrame,
    merged: DataFrame,
) -> dict[str, Any]:
    reasons = (
        validated.select(F.explode(REASONS).alias("reason")).groupBy("reason").count().collect()
    )
    bronze_rows = validated.count()
    quarantined = validated.where(F.size(REASONS) > 0).count()
    accepted = events.count()
    unique = unique_events.count()
    keys = batch_newest.count()
    applied = batch_newest.join(
        merged.select("_record_hash").distinct(), on="_record_hash", how="left_semi"
    ).count()
    return {
        "bronze_rows": bronze_rows,
        "accepted": accepted,
        "quarantined": quarantined,
        "quarantine_reasons": {
            r["reason"]: r["count"] for r in sorted(reasons, key=lambda r: r["reason"])
        },
        "duplicate_events": accepted - unique,
        "superseded_in_batch": unique - keys,
        "keys_in_batch": keys,
        "applied": applied,
        "stale_ignored": keys - applied,
        "deletes_applied": batch_newest.where(F.col(silver.OP) == silver.DELETE)
        .join(
            merged.where(F.col("_is_tombstone")).select("_record_hash"),
            on="_record_hash",
            how="left_semi",
        )
        .count(),
        "live_rows_in_touched_partitions": merged.where(~F.col("_is_tombstone")).count(),
    }
