"""Silver: typed, validated, PII-protected, deduplicated current state per business key.

Bronze rows split into accepted and quarantined (every reason kept). Accepted CDC
events are deduplicated within the batch, and merged with the existing state of only
the partitions the batch touches: per key the newest event wins (:func:`precedence`:
ordering column, then delete > update > insert, then the later delivery by ingest
date, file and line, so any processing order gives the same state), deletes become
tombstones so that replaying an older date can never resurrect or overwrite newer
state.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from lakehouse import pii
from lakehouse.contracts import Contract, layers
from lakehouse.contracts.catalog import silver_column_name, silver_columns
from lakehouse.quality import REASONS, typed

OP = "_op"
ORDERING = "_ordering"
INSERT, UPDATE, DELETE = "I", "U", "D"
PARTITION_FORMATS = {"date": "yyyy-MM-dd", "month": "yyyy-MM"}


def silver_output_columns(contract: Contract) -> list[str]:
    return [name for name, _ in silver_columns(contract)] + [contract.partition.column]


def event_columns(contract: Contract) -> list[str]:
    """Silver columns (the CDC op among them) plus the ordering value: one change event."""
    return [*silver_output_columns(contract), ORDERING]


def partition_value(contract: Contract) -> Column:
    part = contract.partition
    if part.type not in PARTITION_FORMATS:
        raise ValueError(f"{contract.name}: unsupported partition type {part.type!r}")
    return F.date_format(F.col(part.from_column), PARTITION_FORMATS[part.type])


def business_key_text(contract: Contract) -> Column:
    return F.concat_ws("|", *[F.col(k).cast("string") for k in contract.business_key])


def quarantine_rows(
    contract: Contract, run_id: str, quarantined_at: str
) -> Callable[[DataFrame], DataFrame]:
    """Rows that failed any rule, with all reasons and the PII-redacted raw record.

    A row that parsed has its PII columns' values (and anything shaped like an email or
    phone) replaced; a malformed line of an entity with PII columns cannot be split
    into known fields, so only its shape is kept (:func:`lakehouse.pii.shape_mask`)."""
    replacements = [
        (F.col(c.name), pii.EMAIL_REDACTED if c.pii == "token" else pii.PHONE_REDACTED)
        for c in contract.pii_columns
    ]
    partition = layers()["quarantine"]["partition"]["column"]

    raw = F.col("_raw_record")

    def transform(validated: DataFrame) -> DataFrame:
        rejected = validated.where(F.size(REASONS) > 0)
        key_present = reduce(
            lambda a, b: a | b, [F.col(k).isNotNull() for k in contract.business_key]
        )
        return rejected.select(
            F.lit(contract.name).alias("entity"),
            F.when(key_present & ~F.col("_is_malformed"), business_key_text(contract)).alias(
                "business_key"
            ),
            F.col(REASONS).alias("reasons"),
            "_run_id",
            "_source_file",
            "_line_number",
            "_record_hash",
            F.when(F.col("_is_malformed") & F.lit(bool(contract.pii_columns)), pii.shape_mask(raw))
            .otherwise(pii.redact_text(raw, replacements))
            .alias("raw_record"),
            F.lit(quarantined_at).cast("timestamp").alias("quarantined_at"),
            F.col(partition),
        )

    return transform


def accepted_events(contract: Contract, pii_key: str) -> Callable[[DataFrame], DataFrame]:
    """Accepted bronze rows -> typed silver change events with PII protected."""
    op_column = contract.cdc.op_column if contract.cdc else None
    ordering = F.col(contract.cdc.ordering_column) if contract.cdc else F.col("ingest_date")

    def protect(name: str) -> Column:
        col = contract.column(name)
        if col.pii == "token":
            return pii.email_token(F.col(name), pii_key)
        if col.pii == "mask":
            return pii.mask_phone(F.col(name))
        return F.col(name)

    def transform(validated: DataFrame) -> DataFrame:
        rows = validated.where(F.size(REASONS) == 0).transform(typed(contract))
        values = [
            protect(c.name).alias(silver_column_name(contract, c.name))
            for c in contract.columns
            if c.name != op_column
        ]
        return rows.select(
            *values,
            F.col("ingest_date").alias("_ingest_date"),
            "_source_file",
            "_line_number",
            "_run_id",
            "_record_hash",
            partition_value(contract).alias(contract.partition.column),
            (F.col(op_column) if op_column else F.lit(UPDATE)).alias(OP),
            ordering.cast("string").alias(ORDERING),
        )

    return transform


def tie_break(contract: Contract) -> list[Column]:
    """Sort order of a key's events that share one ordering value, the winner first:
    delete > update > insert (a delete and an insert at one instant leave the key
    deleted); then the later delivery: ingest date, file name (S3 lists keys in UTF-8
    binary order, as Spark compares strings), line in the file; the record hash last
    (only identical deliveries of one event get that far). A pure function of the
    events, so replaying days in any order converges (docs/adr/0008-landing-file-rules.md)."""
    delete_op = contract.cdc.delete_op if contract.cdc else DELETE
    op_rank = F.when(F.col(OP) == delete_op, 2).when(F.col(OP) == INSERT, 0).otherwise(1)
    return [
        op_rank.desc(),
        F.col("_ingest_date").desc(),
        F.col("_source_file").desc(),
        F.col("_line_number").desc(),
        F.col("_record_hash").desc(),
    ]


def precedence(contract: Contract) -> list[Column]:
    """Sort order of a key's events, the winner first: the newest ordering value, then
    :func:`tie_break`."""
    return [F.col(ORDERING).desc(), *tie_break(contract)]


def drop_duplicate_events(contract: Contract) -> Callable[[DataFrame], DataFrame]:
    """The same event delivered twice (same key, same raw record) counts once: the
    first delivery (ingest date, file, line) is kept."""
    first_delivery = Window.partitionBy(*contract.business_key, "_record_hash").orderBy(
        "_ingest_date", "_source_file", "_line_number"
    )

    def transform(events: DataFrame) -> DataFrame:
        ranked = events.withColumn("_delivery", F.row_number().over(first_delivery))
        return ranked.where(F.col("_delivery") == 1).drop("_delivery")

    return transform


def newest_per_key(contract: Contract) -> Callable[[DataFrame], DataFrame]:
    def transform(events: DataFrame) -> DataFrame:
        newest_first = Window.partitionBy(*contract.business_key).orderBy(*precedence(contract))
        ranked = events.withColumn("_rank", F.row_number().over(newest_first))
        return ranked.where(F.col("_rank") == 1).drop("_rank")

    return transform


def as_events(contract: Contract, op: str) -> Callable[[DataFrame], DataFrame]:
    """Stored silver rows (live or tombstones) back into the event shape; ``op`` for
    rows written before silver kept the event's op."""
    ordering = F.col(contract.cdc.ordering_column) if contract.cdc else F.col("_ingest_date")

    def transform(stored: DataFrame) -> DataFrame:
        return stored.withColumn(OP, F.coalesce(F.col(OP), F.lit(op))).select(
            *silver_output_columns(contract),
            ordering.cast("string").alias(ORDERING),
        )

    return transform


def merge(
    contract: Contract, batch_newest: DataFrame, live: DataFrame, tombstones: DataFrame
) -> tuple[DataFrame, DataFrame]:
    """Newest event per key across the batch and the stored state of the touched
    partitions -> (live rows, tombstones) to write back to those partitions."""
    stored = live.transform(as_events(contract, UPDATE)).unionByName(
        tombstones.transform(as_events(contract, DELETE))
    )
    winners = (
        batch_newest.select(*event_columns(contract))
        .unionByName(stored)
        .transform(newest_per_key(contract))
    )
    columns = silver_output_columns(contract)
    is_delete = F.col(OP) == DELETE
    return winners.where(~is_delete).select(*columns), winners.where(is_delete).select(*columns)
