"""Per-job counts as a small JSON record in the lake (ops/metrics/...), one per
(layer, entity, run date): a rerun replaces it. The checks and the run report read
these. Each job also sends its counts and its duration as CloudWatch metrics
(PutMetricData), with the namespace, dimensions and metric names defined once in
``contracts/_metrics.json``; locally the same requests go to the CloudWatch stand-in
(``lakehouse/local/cloudwatch.py``)."""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
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


# -- CloudWatch metrics ------------------------------------------------------------------

PUT_METRIC_DATA_API = (
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html"
)
# PutMetricData takes at most 1000 MetricData items per request (the API page above).
MAX_DATUMS_PER_REQUEST = 1000
# Set by the local job runner (lakehouse/local/jobs.py): the stand-in's JSON-lines file.
LOCAL_METRICS_ENV = "LAKEHOUSE_LOCAL_METRICS"
ALL_LAYERS = "*"


@dataclass(frozen=True)
class JobMetric:
    """One entry of ``job_metrics`` in ``contracts/_metrics.json``: the metric ``name``
    carries the record's ``count`` of jobs of ``layer`` ("*" = every layer); ``per``
    "Reason" sends one datum per key of that count (a {reason: n} map) with the extra
    dimension Reason, ``per`` "Entity" one datum per key with Entity = the key."""

    name: str
    unit: str
    layer: str
    count: str
    per: str | None = None
    description: str = ""

    def applies_to(self, layer: str) -> bool:
        return self.layer in (ALL_LAYERS, layer)


def _load_definitions() -> dict[str, Any]:
    # importlib.resources: on Glue the package is a zip (--extra-py-files).
    text = resources.files("lakehouse.contracts").joinpath("_metrics.json").read_text("utf-8")
    return json.loads(text)


_DEFINITIONS = _load_definitions()
METRICS_NAMESPACE: str = _DEFINITIONS["namespace"]
JOB_DIMENSIONS: tuple[str, ...] = tuple(_DEFINITIONS["job_dimensions"])
GATE_DIMENSIONS: tuple[str, ...] = tuple(_DEFINITIONS["gate_dimensions"])
JOB_METRICS: tuple[JobMetric, ...] = tuple(JobMetric(**m) for m in _DEFINITIONS["job_metrics"])
GATE_METRIC_NAMES: tuple[str, ...] = tuple(m["name"] for m in _DEFINITIONS["gate_metrics"])
PER_DIMENSIONS = ("Reason", "Entity")
if JOB_DIMENSIONS != ("Environment", "Layer", "Entity"):  # metric_data builds these three
    raise ValueError(
        f"_metrics.json job_dimensions must be Environment, Layer, Entity: {JOB_DIMENSIONS}"
    )
if any(m.per not in (None, *PER_DIMENSIONS) for m in JOB_METRICS):
    raise ValueError(f"_metrics.json: 'per' must be one of {PER_DIMENSIONS}")


def _dimensions(environment: str, layer: str, entity: str, **extra: str) -> list[dict[str, str]]:
    values = {"Environment": environment, "Layer": layer, "Entity": entity, **extra}
    return [{"Name": name, "Value": str(value)} for name, value in values.items()]


def _datum(metric: JobMetric, value: Any, dimensions: list[dict[str, str]]) -> dict[str, Any]:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"metric {metric.name}: count {metric.count!r} is not a number: {value!r}")
    return {
        "MetricName": metric.name,
        "Dimensions": dimensions,
        "Value": value,
        "Unit": metric.unit,
    }


def metric_data(record: dict[str, Any], environment: str) -> list[dict[str, Any]]:
    """The CloudWatch MetricData of one job's metrics record (what :func:`write_metrics`
    returns, plus ``duration_seconds``), as PutMetricData takes them: ``{"MetricName",
    "Dimensions": [{"Name", "Value"}, ...], "Value", "Unit"}`` with the dimensions
    Environment, Layer, Entity (and Reason for ``per: Reason``), in the order of
    ``contracts/_metrics.json``. A count the record does not hold is not sent (gold has
    no bronze counts); an empty per-key map sends nothing."""
    layer, entity = record["layer"], record["entity"]
    data: list[dict[str, Any]] = []
    for metric in JOB_METRICS:
        if not metric.applies_to(layer) or metric.count not in record:
            continue
        value = record[metric.count]
        if metric.per is None:
            data.append(_datum(metric, value, _dimensions(environment, layer, entity)))
        elif metric.per == "Reason":
            data += [
                _datum(metric, n, _dimensions(environment, layer, entity, Reason=reason))
                for reason, n in sorted(value.items())
            ]
        else:  # per Entity: the key is the entity (gold: one datum per table)
            data += [
                _datum(metric, n, _dimensions(environment, layer, key))
                for key, n in sorted(value.items())
            ]
    return data


def unsent_metrics(records: list[dict[str, Any]]) -> list[str]:
    """Names of the job metrics that no record of its layer holds the count of: over
    real records of every layer this must be empty, or a definition (or a renamed
    count) sends nothing, silently."""
    return [
        m.name
        for m in JOB_METRICS
        if not any(m.applies_to(r["layer"]) and m.count in r for r in records)
    ]


def put_metric_data(
    datums: list[dict[str, Any]], namespace: str = METRICS_NAMESPACE, client: Any = None
) -> int:
    """Send ``datums`` with PutMetricData in requests of at most 1000 MetricData items
    (:data:`MAX_DATUMS_PER_REQUEST`, the API's limit:
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html).
    Returns the number of requests sent.

    On Glue each request is ``boto3.client("cloudwatch").put_metric_data(Namespace=...,
    MetricData=batch)`` (``client`` replaces that client, for tests). A failed call is
    not caught: the boto3 error fails the job, and the state machine's Retry on the
    Glue task runs it again. Metrics that were silently lost would leave the dashboard
    and the alarms looking at a quiet day; a job rerun is harmless (its writes are
    idempotent) and sends them again.

    Locally (``lakehouse.runtime.is_local()``) the same requests go to the CloudWatch
    stand-in's file named by ``LAKEHOUSE_LOCAL_METRICS`` (set by
    ``lakehouse/local/jobs.py``); without it the call fails naming that variable."""
    from lakehouse.runtime import is_local

    batches = [
        datums[i : i + MAX_DATUMS_PER_REQUEST]
        for i in range(0, len(datums), MAX_DATUMS_PER_REQUEST)
    ]
    if client is None and is_local():
        path = os.environ.get(LOCAL_METRICS_ENV)
        if not path:
            raise RuntimeError(
                f"{LOCAL_METRICS_ENV} is not set: the local runtime needs it to store metric data"
            )
        from lakehouse.local import cloudwatch  # not shipped to Glue; local only

        for batch in batches:
            cloudwatch.put_metric_data(path, {"Namespace": namespace, "MetricData": batch})
        return len(batches)
    if client is None:
        import boto3

        client = boto3.client("cloudwatch")
    for batch in batches:
        client.put_metric_data(Namespace=namespace, MetricData=batch)
    return len(batches)


def send_job_metrics(
    record: dict[str, Any], environment: str, started: float
) -> list[dict[str, Any]]:
    """Send one job's metrics record as CloudWatch metrics, with ``duration_seconds``
    = ``time.monotonic()`` now minus ``started`` (the job's start), rounded to 0.1 s.
    The record itself (the JSON and Parquet copies) is not changed. Returns the data
    sent."""
    duration = round(time.monotonic() - started, 1)
    datums = metric_data({**record, "duration_seconds": duration}, environment)
    put_metric_data(datums)
    return datums
