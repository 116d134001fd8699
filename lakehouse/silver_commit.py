"""Silver's write path: a merge is staged whole, journalled, then committed; a job that
finds a commit left half-done completes it first (docs/adr/0007).

Per entity, ``<silver_root>/_journal/<entity>.json`` holds the last commit:
``{"state": "staged" | "committed", "run_id", "run_date", "staging", "touched",
"live", "tombstones", "partitions"}``. ``staged`` means the merged rows of the touched
partitions sit complete in ``staging`` and the partition overwrites may have begun;
re-applying them from staging is idempotent, so a kill at any point loses nothing.
``partitions`` lists the entity's live partitions after the commit: a partition it
names that storage lacks (deleted by a person or a lifecycle rule) fails the next job
loudly instead of reading as empty.
"""

from __future__ import annotations

import json
from typing import Any

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from lakehouse import io
from lakehouse.contracts import Contract, layers
from lakehouse.layout import join

JOURNAL = "_journal"
STAGED, COMMITTED = "staged", "committed"
TOMBSTONES = layers()["silver"]["tombstone_suffix"]
TOMBSTONE_FLAG = "_is_tombstone"


class MissingPartitionError(RuntimeError):
    """Storage lacks silver partitions the last commit listed."""


def journal_location(silver_root: str, entity: str) -> str:
    return join(silver_root, JOURNAL, f"{entity}.json")


def read_journal(spark: SparkSession, silver_root: str, entity: str) -> dict[str, Any] | None:
    location = journal_location(silver_root, entity)
    if not io.exists(spark, location):
        return None
    return json.loads(io.read_text(spark, location))


def staging_location(silver_root: str, entity: str, run_id: str) -> str:
    return join(silver_root, "_staging", entity, f"run_id={run_id}")


def recover(
    spark: SparkSession, contract: Contract, silver_root: str, *, rebuilding: bool = False
) -> dict[str, Any] | None:
    """Before a job writes the entity: finish a commit left ``staged``, remove Spark's
    leftover ``.spark-staging-*`` folders, and check that every partition the last
    commit listed exists (not when ``rebuilding``: a rebuild replaces every partition).
    Returns the journal it found (None for a new entity).
    Raises :class:`MissingPartitionError`."""
    for dataset in (contract.name, contract.name + TOMBSTONES):
        io.remove_hidden_leftovers(spark, join(silver_root, dataset))
    journal = read_journal(spark, silver_root, contract.name)
    if journal is None:
        return None
    if journal["state"] == STAGED:
        apply(spark, contract, silver_root, journal)
    part = contract.partition.column
    stored = set(io.list_partition_values(spark, silver_root, contract.name, part))
    missing = sorted(set(journal.get("partitions", [])) - stored)
    if missing and not rebuilding:
        raise MissingPartitionError(
            f"silver {contract.name}: partitions {', '.join(f'{part}={v}' for v in missing)} "
            f"were committed by run {journal['run_id']} but are missing from storage; "
            "restore them (object versions) or rebuild silver (lakehouse rebuild --from <first "
            "date> --to <newest date>, or the state machine input rebuild_from) before running again"
        )
    return journal


def stage(
    spark: SparkSession, contract: Contract, silver_root: str, merged, ctx: Any, touched: list[str]
) -> dict[str, Any]:
    """Write the merged rows of the touched partitions (live rows and tombstones, told
    apart by ``_is_tombstone``) to the run's staging folder and journal them."""
    location = staging_location(silver_root, contract.name, ctx.run_id)
    merged.write.mode("overwrite").parquet(location)
    part = contract.partition.column
    shape = spark.read.parquet(location).groupBy(part, TOMBSTONE_FLAG).count().collect()
    journal = {
        "state": STAGED,
        "run_id": ctx.run_id,
        "run_date": ctx.run_date,
        "staging": location,
        "touched": touched,
        "live": sorted(r[part] for r in shape if not r[TOMBSTONE_FLAG]),
        "tombstones": sorted(r[part] for r in shape if r[TOMBSTONE_FLAG]),
        "live_rows": sum(r["count"] for r in shape if not r[TOMBSTONE_FLAG]),
    }
    io.write_json(spark, journal_location(silver_root, contract.name), journal)
    return journal


def apply(
    spark: SparkSession, contract: Contract, silver_root: str, journal: dict[str, Any]
) -> None:
    """Overwrite the touched partitions from the staged rows and mark the journal
    committed (with the entity's partitions after the commit); idempotent."""
    merged = spark.read.parquet(journal["staging"])
    part = contract.partition.column
    for is_tombstone, dataset, present in (
        (False, contract.name, journal["live"]),
        (True, contract.name + TOMBSTONES, journal["tombstones"]),
    ):
        rows = merged.where(F.col(TOMBSTONE_FLAG) == is_tombstone).drop(TOMBSTONE_FLAG)
        io.overwrite_partitions(
            rows.repartition(part).sortWithinPartitions(*contract.business_key),
            silver_root,
            dataset,
            part,
            journal["touched"],
            present=set(present),
        )
    committed = {
        **journal,
        "state": COMMITTED,
        "partitions": io.list_partition_values(spark, silver_root, contract.name, part),
    }
    io.write_json(spark, journal_location(silver_root, contract.name), committed)
    io.delete(spark, journal["staging"])
