"""Silver: typed, validated, PII-protected, deduplicated current state per business key.

Bronze rows split into accepted and quarantined (every reason kept). Accepted CDC
events are deduplicated within the batch, and merged with the existing state of only
the partitions the batch touches: per key the newest event wins (ordering column,
then record hash, so any processing order gives the same state), deletes become
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
    """Silver columns plus the CDC op and ordering value: one change event."""
    return [*silver_output_columns(contract), OP, ORDERING]


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
    """Rows that failed any rule, with all reasons and the PII-redacted raw record."""
    replacements = [
        (F.col(c.name), pii.EMAIL_REDACTED if c.pii == "token" else pii.PHONE_REDACTED)
        for c in contract.pii_columns
    ]
    partition = layers()["quarantine"]["partition"]["column"]

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
            pii.redact_text(F.col("_raw_record"), replacements).alias("raw_record"),
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
            "_run_id",
            "_record_hash",
            partition_value(contract).alias(contract.partition.column),
            (F.col(op_column) if op_column else F.lit(UPDATE)).alias(OP),
            ordering.cast("string").alias(ORDERING),
        )

    return transform


def _newest_first(contract: Contract) -> Window:
    # Ties on the ordering value are broken by record hash: a pure function of the
    # events, so the winner never depends on which day was processed first.
    return Window.partitionBy(*contract.business_key).orderBy(
        F.col(ORDERING).desc(), F.col("_record_hash").desc()
    )


def drop_duplicate_events(contract: Contract) -> Callable[[DataFrame], DataFrame]:
    """The same event delivered twice (same key, same raw record) counts once."""

    def transform(events: DataFrame) -> DataFrame:
        return events.dropDuplicates([*contract.business_key, "_record_hash"])

    return transform


def newest_per_key(contract: Contract) -> Callable[[DataFrame], DataFrame]:
    def transform(events: DataFrame) -> DataFrame:
        ranked = events.withColumn("_rank", F.row_number().over(_newest_first(contract)))
        return ranked.where(F.col("_rank") == 1).drop("_rank")

    return transform


def as_events(contract: Contract, op: str) -> Callable[[DataFrame], DataFrame]:
    """Stored silver rows (live or tombstones) back into the event shape."""
    ordering = F.col(contract.cdc.ordering_column) if contract.cdc else F.col("_ingest_date")

    def transform(stored: DataFrame) -> DataFrame:
        return stored.select(
            *silver_output_columns(contract),
            F.lit(op).alias(OP),
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
