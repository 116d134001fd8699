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
    return record


def read_metrics(
    spark: SparkSession, ops_root: str, layer: str, entity: str, run_date: str
) -> dict[str, Any] | None:
    import json

    url = metrics_location(ops_root, layer, entity, run_date)
    if not io.exists(spark, url):
        return None
    return json.loads(io.read_text(spark, url))
