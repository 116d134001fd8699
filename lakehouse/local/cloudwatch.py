"""The local stand-in for CloudWatch metrics: PutMetricData requests, validated as
CloudWatch validates them, appended to a JSON-lines file
(``<lake>/_local/cloudwatch/metric_data.jsonl``, ``LocalDeployment.metrics_file``).
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html

The Glue jobs write here through ``lakehouse.metrics.put_metric_data`` (the file named
by ``LAKEHOUSE_LOCAL_METRICS``), the state machine through its
``aws-sdk:cloudwatch:putMetricData`` task (``lakehouse/local/integrations.py``); the run
report reads it back. A request CloudWatch would refuse fails with
:class:`CloudWatchError` (``error`` = the Step Functions name,
``CloudWatch.InvalidParameterValueException``) and stores nothing.

Not emulated (refused by name): ``Values``/``Counts``, ``StatisticValues``,
``StorageResolution``, ``Timestamp``, ``EntityMetricData``. No aggregation: the file
holds the requests as received.
"""

from __future__ import annotations

import json
import math
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lakehouse.local.catalog_store import ServiceError

API_PAGE = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html"
MAX_METRIC_DATA = 1000
MAX_DIMENSIONS = 30
MAX_NAME_LENGTH = 255  # Namespace, MetricName, Dimension Name
MAX_DIMENSION_VALUE_LENGTH = 1024
MAX_ABS_VALUE = 2.0**360  # "Values must be in the range of -2^360 to 2^360"
# The API's StandardUnit values (the MetricDatum page).
UNITS = frozenset(
    {
        "Seconds",
        "Microseconds",
        "Milliseconds",
        "Bytes",
        "Kilobytes",
        "Megabytes",
        "Gigabytes",
        "Terabytes",
        "Bits",
        "Kilobits",
        "Megabits",
        "Gigabits",
        "Terabits",
        "Percent",
        "Count",
        "Bytes/Second",
        "Kilobytes/Second",
        "Megabytes/Second",
        "Gigabytes/Second",
        "Terabytes/Second",
        "Bits/Second",
        "Kilobits/Second",
        "Megabits/Second",
        "Gigabits/Second",
        "Terabits/Second",
        "Count/Second",
        "None",
    }
)
NOT_EMULATED = ("Values", "Counts", "StatisticValues", "StorageResolution", "Timestamp")
_LOCK = threading.Lock()


class CloudWatchError(ServiceError):
    """A refused PutMetricData: ``code`` is CloudWatch's error code
    (``InvalidParameterValue``, ``MissingParameter``), ``error`` the Step Functions
    error name (``CloudWatch.<Code>Exception``), ``cause`` the SDK's text."""

    def __init__(self, code: str, message: str) -> None:
        request = f"(Service: CloudWatch, Status Code: 400, Request ID: {uuid.uuid4()})"
        super().__init__(f"CloudWatch.{code}Exception", f"{message} {request}")
        self.code = code
        self.message = message


def _invalid(message: str) -> CloudWatchError:
    return CloudWatchError("InvalidParameterValue", message)


def _missing(name: str) -> CloudWatchError:
    return CloudWatchError("MissingParameter", f"The parameter {name} is required.")


def _check_name(value: Any, where: str, limit: int = MAX_NAME_LENGTH) -> None:
    if value is None:
        raise _missing(where)
    if not isinstance(value, str) or not 1 <= len(value) <= limit:
        raise _invalid(f"The parameter {where} must be a string of 1 to {limit} characters.")


def _check_datum(datum: Any, where: str) -> None:
    if not isinstance(datum, dict):
        raise _invalid(f"The parameter {where} must be a MetricDatum object.")
    refused = sorted(set(datum) & set(NOT_EMULATED))
    if refused:
        raise _invalid(f"{where}.{refused[0]} is not emulated by the local CloudWatch.")
    unknown = sorted(set(datum) - {"MetricName", "Dimensions", "Value", "Unit"})
    if unknown:
        raise _invalid(f"Unknown parameter {where}.{unknown[0]}.")
    _check_name(datum.get("MetricName"), f"{where}.MetricName")
    value = datum.get("Value")
    if value is None:
        raise _missing(f"{where}.Value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(f"The parameter {where}.Value must be a number, got {value!r}.")
    if not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
        raise _invalid(
            f"The value {value} for parameter {where}.Value is invalid: NaN, infinity and "
            "values beyond 2^360 are not supported."
        )
    unit = datum.get("Unit")
    if unit is not None and unit not in UNITS:
        raise _invalid(
            f"The value {unit!r} for parameter {where}.Unit is not one of the units of {API_PAGE}."
        )
    dimensions = datum.get("Dimensions", [])
    if not isinstance(dimensions, list):
        raise _invalid(f"The parameter {where}.Dimensions must be a list.")
    if len(dimensions) > MAX_DIMENSIONS:
        raise _invalid(
            f"The collection {where}.Dimensions must not have a size greater than "
            f"{MAX_DIMENSIONS}, got {len(dimensions)}."
        )
    names = []
    for j, dimension in enumerate(dimensions, start=1):
        at = f"{where}.Dimensions.member.{j}"
        if not isinstance(dimension, dict):
            raise _invalid(f"The parameter {at} must be a Dimension object.")
        _check_name(dimension.get("Name"), f"{at}.Name")
        _check_name(dimension.get("Value"), f"{at}.Value", MAX_DIMENSION_VALUE_LENGTH)
        names.append(dimension["Name"])
    if len(set(names)) != len(names):
        raise CloudWatchError(
            "InvalidParameterCombination", f"No metric may have duplicate dimensions: {where}."
        )


def validate(request: dict[str, Any]) -> None:
    """Raise :class:`CloudWatchError` if CloudWatch would refuse ``request`` (the
    PutMetricData parameters ``Namespace`` and ``MetricData``): Namespace required,
    1-255 characters, not starting with ``AWS/``; 1 to 1000 MetricData; each with a
    MetricName, a finite numeric Value, a Unit (if given) of the API's list and at
    most 30 Dimensions, each with a Name and a Value. See :data:`API_PAGE`."""
    if not isinstance(request, dict):
        raise _invalid("The request must be an object with Namespace and MetricData.")
    unknown = sorted(set(request) - {"Namespace", "MetricData", "EntityMetricData"})
    if unknown:
        raise _invalid(f"Unknown parameter {unknown[0]}.")
    if "EntityMetricData" in request:
        raise _invalid("EntityMetricData is not emulated by the local CloudWatch.")
    namespace = request.get("Namespace")
    _check_name(namespace, "Namespace")
    if namespace.startswith("AWS/"):
        raise _invalid(
            f"The value {namespace} for parameter Namespace is invalid: it must not start "
            "with 'AWS/' (reserved for AWS services)."
        )
    data = request.get("MetricData")
    if data is None:
        raise _missing("MetricData")
    if not isinstance(data, list) or not 1 <= len(data) <= MAX_METRIC_DATA:
        size = len(data) if isinstance(data, list) else type(data).__name__
        raise _invalid(
            f"The collection MetricData must have 1 to {MAX_METRIC_DATA} items, got {size}."
        )
    for i, datum in enumerate(data, start=1):
        _check_datum(datum, f"MetricData.member.{i}")


def put_metric_data(metrics_file: str | Path, request: dict[str, Any]) -> dict[str, Any]:
    """PutMetricData: validate ``request`` (:func:`validate`), then append one JSON line
    ``{"Namespace", "MetricData", "ReceivedAt": <UTC ISO-8601, milliseconds>}`` to
    ``metrics_file``. Returns ``{}``, as PutMetricData's response has no fields.
    Thread-safe (one lock per process; each line is a single append).
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html"""
    validate(request)
    received = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    line = json.dumps(
        {
            "Namespace": request["Namespace"],
            "MetricData": request["MetricData"],
            "ReceivedAt": received,
        }
    )
    path = Path(metrics_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK, path.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    return {}


def metrics_file(lake_dir: str | Path) -> Path:
    """The lake's stand-in file (the same path as ``LocalDeployment.metrics_file``)."""
    return Path(lake_dir) / "_local" / "cloudwatch" / "metric_data.jsonl"


def read_metric_data(lake_dir: str | Path) -> list[dict[str, Any]]:
    """Every request the lake's stand-in received, in arrival order."""
    path = metrics_file(lake_dir)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def datum_line(datum: dict[str, Any]) -> str:
    """``RawRows{Environment=local,Layer=bronze,Entity=orders} 1234 Count``: one datum as
    the run report shows it (dimensions in the order sent)."""
    dimensions = ",".join(f"{d['Name']}={d['Value']}" for d in datum.get("Dimensions", []))
    return f"{datum['MetricName']}{{{dimensions}}} {datum['Value']} {datum.get('Unit', 'None')}"
