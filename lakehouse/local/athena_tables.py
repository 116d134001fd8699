"""Catalog tables as DuckDB views: exactly what Athena would read, and nothing more.

A partitioned table reads the files under each *registered* partition's Location and
takes the partition key values from the catalog, not from folder names. That is what
makes publishing atomic for readers: a gold run staged but not yet pointed to by the
catalog is invisible, and re-pointing a partition switches every later query at once.
Columns are the catalog's, cast to its types; a column missing from the files reads
as NULL (Athena resolves Parquet columns by name), a table without files is empty
but typed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
from sqlglot import exp

from lakehouse.local.catalog import LocalGlueCatalog, data_files, resolve_location

SOURCE_FILE = "__athena_source_file"


def _ident(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def _literal(text: str) -> str:
    return exp.Literal.string(text).sql("duckdb")


@cache
def duckdb_type(glue_type: str) -> str:
    """DuckDB type for a Glue (Hive) type string: ``array<string>`` -> ``TEXT[]``."""
    return exp.DataType.build(glue_type, dialect="hive").sql("duckdb")


def _cast(value: str, column: dict) -> str:
    return f"CAST({value} AS {duckdb_type(column['Type'])}) AS {_ident(column['Name'])}"


def _sources(lake_dir: Path, catalog: LocalGlueCatalog, table: dict) -> list[tuple[Path, list]]:
    """Every data file the table reads, with the partition values it belongs to."""
    if table["PartitionKeys"]:
        partitions = catalog.all_partitions(table["DatabaseName"], table["Name"])
        locations = [(p["StorageDescriptor"]["Location"], p["Values"]) for p in partitions]
    else:
        locations = [(table["StorageDescriptor"]["Location"], [])]
    return [
        (path, values)
        for location, values in locations
        for path in data_files(resolve_location(lake_dir, location))
    ]


def relation_sql(
    con: duckdb.DuckDBPyConnection, lake_dir: Path, catalog: LocalGlueCatalog, table: dict
) -> tuple[str, int]:
    """``(SELECT ... reading the table, bytes of the files it reads)``."""
    columns = table["StorageDescriptor"]["Columns"]
    keys = table["PartitionKeys"]
    sources = _sources(lake_dir, catalog, table)
    if not sources:
        nulls = ", ".join(_cast("NULL", c) for c in columns + keys)
        return f"SELECT {nulls} WHERE false", 0
    files = ", ".join(_literal(str(path)) for path, _ in sources)
    reader = (
        f"read_parquet([{files}], union_by_name = true, hive_partitioning = false, "
        f"filename = {_literal(SOURCE_FILE)})"
    )
    described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    in_files = {row[0].lower(): row[0] for row in described}  # Athena matches names ignoring case
    outputs = []
    for column in columns:
        source = in_files.get(column["Name"].lower())
        outputs.append(_cast(f"src.{_ident(source)}" if source else "NULL", column))
    relation = f"{reader} AS src"
    if keys:
        outputs += [_cast(f"parts.{_ident(k['Name'])}", k) for k in keys]
        rows = ", ".join(
            "(" + ", ".join(_literal(v) for v in (str(path), *values)) + ")"
            for path, values in sources
        )
        names = ", ".join(_ident(n) for n in (SOURCE_FILE, *(k["Name"] for k in keys)))
        relation += (
            f" JOIN (VALUES {rows}) AS parts({names})"
            f" ON src.{_ident(SOURCE_FILE)} = parts.{_ident(SOURCE_FILE)}"
        )
    scanned = sum(path.stat().st_size for path, _ in sources)
    return f"SELECT {', '.join(outputs)} FROM {relation}", scanned


def register_tables(
    con: duckdb.DuckDBPyConnection,
    lake_dir: Path,
    catalog: LocalGlueCatalog,
    tables: dict[tuple[str, str], dict],
) -> int:
    """Creates one view ``<database>.<table>`` per table; returns the bytes they read."""
    scanned = 0
    for (database, name), table in tables.items():
        sql, size = relation_sql(con, lake_dir, catalog, table)
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(database)}")
        con.execute(f"CREATE VIEW {_ident(database)}.{_ident(name)} AS {sql}")
        scanned += size
    return scanned
