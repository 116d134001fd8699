"""The silver merge of one day on local Spark and the same logic in SQL on DuckDB.

Both read the same Parquet inputs (the day's stored change events, and the live rows
and tombstones of the silver partitions the day touches, as they were before the day
ran) and write the merged partitions (live rows and tombstones, flagged) to Parquet.
The Spark side is the pipeline's own code (``lakehouse.silver.newest_per_key`` and
``lakehouse.silver.merge``, as ``lakehouse.steps`` runs them, without the staging
journal of ``lakehouse.silver_commit``); the DuckDB side is written here, from the same
contract, as the single-node yardstick. Outputs are compared row for row before any
timing counts.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from lakehouse import io, silver
from lakehouse.contracts import Contract
from lakehouse.contracts.catalog import silver_columns
from lakehouse.layout import to_local_path
from lakehouse.schemas import struct_of
from lakehouse.silver_commit import TOMBSTONE_FLAG
from lakehouse.steps import BRONZE_PARTITION, CHANGES, TOMBSTONES


def snapshot_silver(silver_root: str, contract: Contract, into: Path) -> Path:
    """Copy ``contract``'s live and tombstone folders (the merge's stored inputs) to
    ``into``, which then serves as a silver root of its own."""
    for dataset in (contract.name, contract.name + TOMBSTONES):
        source = to_local_path(silver_root) / dataset
        if source.is_dir():
            shutil.copytree(source, into / dataset, dirs_exist_ok=True)
    return into


def spark_merge(
    spark: Any, contract: Contract, silver_root: str, stored_root: str, run_date: str, out: Path
) -> list[str]:
    """The pipeline's merge on Spark; returns the touched partition values."""
    from pyspark.sql import functions as F

    part = contract.partition.column
    extra = [(part, "string"), (silver.ORDERING, "string")]
    events = io.read_partitions(
        spark,
        silver_root,
        contract.name + CHANGES,
        BRONZE_PARTITION,
        [run_date],
        struct_of([*silver_columns(contract), *extra]),
    ).drop(BRONZE_PARTITION)
    batch_newest = events.transform(silver.newest_per_key(contract)).cache()
    touched = sorted(r[part] for r in batch_newest.select(part).distinct().collect())
    schema = struct_of(silver_columns(contract))
    live = io.read_partitions(spark, stored_root, contract.name, part, touched, schema)
    tombstones = io.read_partitions(
        spark, stored_root, contract.name + TOMBSTONES, part, touched, schema
    )
    new_live, new_tombstones = silver.merge(contract, batch_newest, live, tombstones)
    merged = new_live.withColumn(TOMBSTONE_FLAG, F.lit(False)).unionByName(
        new_tombstones.withColumn(TOMBSTONE_FLAG, F.lit(True))
    )
    merged.write.mode("overwrite").parquet(out.as_uri())
    batch_newest.unpersist()
    return touched


def _parquet_files(root: Path, dataset: str, column: str, values: list[str]) -> list[str]:
    return sorted(
        str(f)
        for v in values
        for f in (root / dataset / f"{column}={v}").glob("*.parquet")
        if not f.name.startswith(("_", "."))
    )


def duckdb_merge_sql(
    contract: Contract, changes: list[str], live: list[str], tombstones: list[str], out: Path
) -> str:
    """The same merge as one DuckDB statement (COPY ... TO ``out``)."""
    part = contract.partition.column
    columns = [*(name for name, _ in silver_columns(contract)), part]
    ordering = contract.cdc.ordering_column if contract.cdc else "_ingest_date"
    delete_op = contract.cdc.delete_op if contract.cdc else silver.DELETE
    # Spark casts a timestamp to a string as yyyy-MM-dd HH:mm:ss[.fraction without
    # trailing zeros] in the session time zone (UTC here); so does this.
    as_text = (
        f"rtrim(rtrim(strftime({ordering}::timestamp, '%Y-%m-%d %H:%M:%S.%f'), '0'), '.')"
        if dict(silver_columns(contract)).get(ordering) == "timestamp"
        else f"cast({ordering} as varchar)"
    )
    key = ", ".join(contract.business_key)
    precedence = (
        f"{silver.ORDERING} desc nulls last, "
        f"case when {silver.OP} = '{delete_op}' then 2 when {silver.OP} = '{silver.INSERT}' "
        "then 0 else 1 end desc, "
        "_ingest_date desc nulls last, _source_file desc nulls last, "
        "_line_number desc nulls last, _record_hash desc nulls last"
    )
    select = ", ".join(columns)

    def stored(files: list[str], op: str) -> str:
        if not files:
            # nothing stored yet: no rows, with the change events' columns and types
            return f"select {select}, {silver.ORDERING} from read_parquet({changes!r}) where false"
        return (
            f"select * replace (coalesce({silver.OP}, '{op}') as {silver.OP}), "
            f"{as_text} as {silver.ORDERING} "
            f"from read_parquet({files!r}, hive_partitioning = true)"
        )

    def newest(source: str) -> str:
        return (
            f"select * exclude (_rank) from (select *, row_number() over "
            f"(partition by {key} order by {precedence}) as _rank from ({source})) "
            "where _rank = 1"
        )

    batch = newest(f"select {select}, {silver.ORDERING} from read_parquet({changes!r})")
    events = (
        f"select {select}, {silver.ORDERING} from ({batch}) union all "
        f"select {select}, {silver.ORDERING} from ({stored(live, silver.UPDATE)}) union all "
        f"select {select}, {silver.ORDERING} from ({stored(tombstones, silver.DELETE)})"
    )
    winners = newest(events)
    return (
        f"copy (select {select}, {silver.OP} = '{silver.DELETE}' as {TOMBSTONE_FLAG} "
        f"from ({winners})) to '{out / 'merged.parquet'}' (format parquet)"
    )


def duckdb_merge(
    contract: Contract,
    silver_root: str,
    stored_root: str,
    run_date: str,
    touched: list[str],
    out: Path,
) -> None:
    root, stored = to_local_path(silver_root), to_local_path(stored_root)
    part = contract.partition.column
    changes = _parquet_files(root, contract.name + CHANGES, BRONZE_PARTITION, [run_date])
    live = _parquet_files(stored, contract.name, part, touched)
    tombstones = _parquet_files(stored, contract.name + TOMBSTONES, part, touched)
    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(duckdb_merge_sql(contract, changes, live, tombstones, out))


def _normalised(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def rows_of(folder: Path) -> list[tuple]:
    """Every row of the Parquet files under ``folder``, columns in name order, sorted."""
    files = sorted(p for p in folder.rglob("*.parquet") if not p.name.startswith(("_", ".")))
    rows = []
    for f in files:
        table = pq.read_table(f)
        names = sorted(table.column_names)
        for row in table.select(names).to_pylist():
            rows.append(tuple(_normalised(row[n]) for n in names))
    return sorted(rows, key=repr)


def best_of(runs: int, action: Callable[[], Any]) -> float:
    """The fastest of ``runs`` wall times in seconds (the first warms caches and JIT)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)
