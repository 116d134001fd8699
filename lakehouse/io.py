"""Partition-safe reads and writes, through Hadoop's FileSystem so the same code works
on ``file://`` locally and ``s3://`` on Glue. Jobs never build bucket names: they
join dataset and partition names onto the roots they were given."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from lakehouse.layout import join, partition_path, to_local_path

HIDDEN_PREFIXES = ("_", ".")


def _fs(spark: SparkSession, url: str) -> tuple[Any, Any]:
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(url)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def exists(spark: SparkSession, url: str) -> bool:
    fs, path = _fs(spark, url)
    return bool(fs.exists(path))


def delete(spark: SparkSession, url: str) -> None:
    fs, path = _fs(spark, url)
    if fs.exists(path):
        fs.delete(path, True)


def list_files(spark: SparkSession, url: str) -> list[str]:
    """Data files directly under ``url``, as ``url`` + ``/`` + the file's name exactly
    (the form of ``url`` kept: ``file:///...`` stays so, never URL-encoded); sorted,
    hidden ``_``/``.`` files skipped."""
    fs, path = _fs(spark, url)
    if not fs.exists(path):
        return []
    found = []
    for status in fs.listStatus(path):
        name = status.getPath().getName()
        if status.isFile() and not name.startswith(HIDDEN_PREFIXES):
            found.append(join(url, name))
    return sorted(found)


def remove_hidden_leftovers(spark: SparkSession, url: str) -> list[str]:
    """Delete ``.spark-staging-*`` / ``_temporary`` folders an interrupted Spark write
    left directly under ``url`` (readers skip them; the next writer removes them).
    Returns what it removed. Call only while no write to ``url`` runs (the run lock)."""
    fs, path = _fs(spark, url)
    if not fs.exists(path):
        return []
    removed = []
    for status in fs.listStatus(path):
        name = status.getPath().getName()
        if status.isDirectory() and (name.startswith(".spark-staging-") or name == "_temporary"):
            fs.delete(status.getPath(), True)
            removed.append(status.getPath().toString())
    return removed


def list_partition_values(spark: SparkSession, root: str, dataset: str, column: str) -> list[str]:
    fs, path = _fs(spark, join(root, dataset))
    if not fs.exists(path):
        return []
    prefix = f"{column}="
    names = [s.getPath().getName() for s in fs.listStatus(path) if s.isDirectory()]
    return sorted(n[len(prefix) :] for n in names if n.startswith(prefix))


def write_text(spark: SparkSession, url: str, text: str) -> None:
    """Write a small object whole or not at all: a job killed mid-write leaves the old
    content (or none), never a truncated file that the next job cannot parse. On S3 an
    object becomes visible only when its upload completes
    (https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html#ConsistencyModel);
    a local file is written to a hidden sibling and renamed over the target
    (``os.replace``, atomic on POSIX)."""
    data = text.encode("utf-8")
    if url.startswith("file:"):
        target = to_local_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
        with partial.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
        return
    fs, path = _fs(spark, url)
    stream = fs.create(path, True)
    try:
        stream.write(bytearray(data))
    finally:
        stream.close()


def read_text(spark: SparkSession, url: str) -> str:
    return "\n".join(r.value for r in spark.read.text(url, wholetext=True).collect())


def write_json(spark: SparkSession, url: str, payload: dict[str, Any]) -> None:
    write_text(spark, url, json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")


def read_partitions(
    spark: SparkSession,
    root: str,
    dataset: str,
    column: str,
    values: list[str] | None,
    schema: T.StructType,
) -> DataFrame:
    """Rows of the given partitions (all when ``values`` is None); missing ones are
    simply absent, and an empty result still has ``schema`` + the partition column."""
    existing = set(list_partition_values(spark, root, dataset, column))
    wanted = sorted(existing if values is None else existing.intersection(values))
    full_schema = T.StructType([*schema.fields, T.StructField(column, T.StringType())])
    if not wanted:
        return spark.createDataFrame([], full_schema)
    paths = [partition_path(root, dataset, column, v) for v in wanted]
    reader = spark.read.schema(full_schema).option("basePath", join(root, dataset))
    return reader.parquet(*paths)


def overwrite_partitions(
    df: DataFrame,
    root: str,
    dataset: str,
    column: str,
    touched: list[str],
    present: set[str] | None = None,
) -> None:
    """Replace exactly the ``touched`` partitions with the rows of ``df``.

    Dynamic overwrite rewrites only partitions present in ``df``; a touched partition
    that ends up empty (every row deleted) is removed explicitly, and partitions
    outside ``touched`` are never written.
    """
    spark = df.sparkSession
    if spark.conf.get("spark.sql.sources.partitionOverwriteMode").lower() != "dynamic":
        raise RuntimeError("refusing to overwrite: partitionOverwriteMode must be dynamic")
    if present is None:  # callers that already know it save a pass over df
        present = {r[0] for r in df.select(column).distinct().collect()}
    stray = present.difference(touched)
    if stray:
        raise ValueError(f"{dataset}: rows for partitions outside the touched set: {sorted(stray)}")
    if present:
        df.write.mode("overwrite").partitionBy(column).parquet(join(root, dataset))
    for value in sorted(set(touched).difference(present)):
        delete(spark, partition_path(root, dataset, column, value))
