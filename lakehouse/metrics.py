"""Per-job counts as a small JSON record in the lake (ops/metrics/...), one per
(layer, entity, run date): a rerun replaces it. The checks and the run report read
these; on AWS they are also emitted as CloudWatch metrics by the state machine."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pyspark.sql import SparkSession

from lakehouse import io
from lakehouse.layout import join


def metrics_location(ops_root: str, layer: str, entity: str, run_date: str) -> str:
    return join(ops_root, "metrics", layer, entity, f"run_date={run_date}", "metrics.json")


JOB_METRICS_DATASET = "job_metrics"
# Long format: one row per number, so a new count needs no table change.
JOB_METRICS_COLUMNS = [
    ("layer", "string"),
    ("entity", "string"),
    ("run_id", "string"),
    ("metric", "string"),
    ("detail", "string"),
    ("value", "bigint"),
]
JOB_METRICS_PARTITIONS = [("run_date", "string"), ("job", "string")]


def job_key(layer: str, entity: str) -> str:
    return f"{layer}__{entity}"


def metric_rows(record: dict[str, Any]) -> list[tuple[str, str | None, int]]:
    """(metric, detail, value) for every count in a metrics record; nested maps of
    counts (e.g. quarantine_reasons) become one row per key."""
    rows: list[tuple[str, str | None, int]] = []
    for name, value in sorted(record.items()):
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            rows.append((name, None, value))
        elif isinstance(value, dict):
            rows += [(name, str(k), int(v)) for k, v in sorted(value.items()) if isinstance(v, int)]
    return rows


def write_metric_table(spark: SparkSession, ops_root: str, record: dict[str, Any]) -> None:
    """The same counts as Parquet under ops/job_metrics/run_date=D/job=<layer>__<entity>/,
    the table the validation checks query (a rerun replaces the job's folder)."""
    from lakehouse.schemas import struct_of

    rows = [
        (record["layer"], record["entity"], record["run_id"], metric, detail, value)
        for metric, detail, value in metric_rows(record)
    ]
    location = join(
        ops_root,
        JOB_METRICS_DATASET,
        f"run_date={record['run_date']}",
        f"job={job_key(record['layer'], record['entity'])}",
    )
    spark.createDataFrame(rows, struct_of(JOB_METRICS_COLUMNS)).coalesce(1).write.mode(
        "overwrite"
    ).parquet(location)


def write_metrics(
    spark: SparkSession,
    ops_root: str,
    layer: str,
    entity: str,
    run_date: str,
    run_id: str,
    **counts: Any,
) -> dict[str, Any]:
    record = {
        "layer": layer,
        "entity": entity,
        "run_date": run_date,
        "run_id": run_id,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **counts,
    }
    io.write_json(spark, metrics_location(ops_root, layer, entity, run_date), record)
    write_metric_table(spark, ops_root, record)
    return record


def read_metrics(
    spark: SparkSession, ops_root: str, layer: str, entity: str, run_date: str
) -> dict[str, Any] | None:
    import json

    url = metrics_location(ops_root, layer, entity, run_date)
    if not io.exists(spark, url):
        return None
    return json.loads(io.read_text(spark, url))
