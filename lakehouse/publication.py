"""The publication: which run's staged folder readers see, for every gold table and
partition value, switched in one catalog write (docs/adr/0007).

``ops.published_partitions`` is a small Parquet table, ``(table_name,
partition_value, run_id)``, one snapshot folder per run at
``<ops_root>/publications/run_id=<run>/``. The gold views join it with the staged
tables. A run writes its snapshot (the current one with its own partitions replaced)
next to the others, no reader pointing at it; publish is one ``glue:UpdateTable`` of
the pointer table's Location (https://docs.aws.amazon.com/glue/latest/webapi/API_UpdateTable.html),
so readers move from one whole snapshot to the next or not at all.
"""

from __future__ import annotations

from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from lakehouse import io
from lakehouse.contracts.catalog import (
    PUBLICATION_COLUMNS,
    PUBLICATION_TABLE,
    PUBLICATIONS_DATASET,
    STAGED_PREFIX,
    find_table,
    partition_input,
    table_input,
)
from lakehouse.layout import join
from lakehouse.schemas import struct_of

# Glue's BatchCreatePartition takes at most 100 partitions per call.
# https://docs.aws.amazon.com/glue/latest/webapi/API_BatchCreatePartition.html
PARTITIONS_PER_CALL = 100


def publication_location(ops_root: str, run_id: str) -> str:
    return join(ops_root, PUBLICATIONS_DATASET, f"run_id={run_id}")


def read_publication(spark: SparkSession, location: str) -> DataFrame:
    """The snapshot at ``location`` (the pointer's current Location; none yet: empty)."""
    schema = struct_of(list(PUBLICATION_COLUMNS))
    files = [f for f in io.list_files(spark, location) if f.endswith(".parquet")]
    if not files:
        return spark.createDataFrame([], schema)
    return spark.read.schema(schema).parquet(*files)


def next_publication(current: DataFrame, run_id: str, staged: list[dict[str, Any]]) -> DataFrame:
    """``current`` with every (table, partition value) this run staged pointing at it."""
    spark = current.sparkSession
    rows = [(t["table"], p["values"][0], run_id) for t in staged for p in t["partitions"]]
    mine = spark.createDataFrame(rows, current.schema)
    kept = current.join(mine, on=["table_name", "partition_value"], how="left_anti")
    return kept.unionByName(mine).orderBy("table_name", "partition_value")


def write_publication(
    spark: SparkSession, ops_root: str, run_id: str, snapshot: DataFrame
) -> dict[str, Any]:
    """Write the run's snapshot; returns the UpdateTable input that publishes it."""
    location = publication_location(ops_root, run_id)
    snapshot.coalesce(1).write.mode("overwrite").parquet(location)
    return {"table_input": table_input(find_table("ops", PUBLICATION_TABLE), location)}


def staged_registrations(table: str, run_id: str, partitions: list[dict]) -> dict[str, Any]:
    """The staged table's PartitionInputs for this run, in calls of at most 100."""
    staged = find_table("ops", f"{STAGED_PREFIX}{table}")
    inputs = [partition_input(staged, [run_id, *p["values"]], p["location"]) for p in partitions]
    batches = [
        inputs[i : i + PARTITIONS_PER_CALL] for i in range(0, len(inputs), PARTITIONS_PER_CALL)
    ]
    return {"staged_table": staged.name, "batches": batches}


def rolled_back(
    current: DataFrame, previous: DataFrame, run_id: str
) -> tuple[DataFrame, list[dict[str, str | None]]]:
    """``current`` with every (table, partition value) that points at ``run_id`` pointed
    back at the run ``previous`` (the publication ``run_id`` replaced) named for it, or
    left out where ``previous`` had none (the partition was new in ``run_id``). Rows of
    other runs are kept: a later run that republished a partition stays what readers see.

    Returns the snapshot (``PUBLICATION_COLUMNS``) and one change per partition moved:
    {table, partition_value, from_run, to_run (None: no longer published)}.
    """
    before = published_runs(previous)
    rows: list[tuple[str, str, str]] = []
    changes: list[dict[str, str | None]] = []
    for table, partitions in sorted(published_runs(current).items()):
        for value, run in sorted(partitions.items()):
            if run != run_id:
                rows.append((table, value, run))
                continue
            restored = before.get(table, {}).get(value)
            changes.append(
                {"table": table, "partition_value": value, "from_run": run, "to_run": restored}
            )
            if restored is not None:
                rows.append((table, value, restored))
    return current.sparkSession.createDataFrame(rows, current.schema), changes


def published_runs(snapshot: DataFrame) -> dict[str, dict[str, str]]:
    """{table: {partition value: run id}} of a snapshot (for checks and tests)."""
    out: dict[str, dict[str, str]] = {}
    for row in snapshot.select(*[F.col(c) for c, _ in PUBLICATION_COLUMNS]).collect():
        out.setdefault(row["table_name"], {})[row["partition_value"]] = row["run_id"]
    return out
