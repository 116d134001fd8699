"""The local CloudWatch (lakehouse/local/cloudwatch.py) stores PutMetricData requests
CloudWatch would accept and refuses the others loudly, storing nothing.
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html"""

from __future__ import annotations

import json
import threading
from datetime import datetime

import pytest

from lakehouse.local import cloudwatch
from lakehouse.local.cloudwatch import CloudWatchError, put_metric_data, read_metric_data


def datum(**changes) -> dict:
    base = {
        "MetricName": "RawRows",
        "Dimensions": [{"Name": "Environment", "Value": "local"}],
        "Value": 3,
        "Unit": "Count",
    }
    return {k: v for k, v in {**base, **changes}.items() if v is not ...}


def request(*data: dict, namespace="Lakehouse") -> dict:
    return {"Namespace": namespace, "MetricData": list(data) or [datum()]}


def test_a_valid_request_is_appended_with_when_it_was_received(tmp_path) -> None:
    path = cloudwatch.metrics_file(tmp_path)
    assert put_metric_data(path, request(datum(), datum(Value=1.5, Unit=...))) == {}
    assert put_metric_data(path, request(datum(Dimensions=...))) == {}
    stored = read_metric_data(tmp_path)
    assert [len(r["MetricData"]) for r in stored] == [2, 1]
    assert stored[0]["Namespace"] == "Lakehouse"
    assert stored[0]["MetricData"][1] == {
        "MetricName": "RawRows",
        "Dimensions": [{"Name": "Environment", "Value": "local"}],
        "Value": 1.5,
    }
    received = datetime.fromisoformat(stored[0]["ReceivedAt"])
    assert received.utcoffset().total_seconds() == 0
    assert read_metric_data(tmp_path / "nowhere") == []


@pytest.mark.parametrize(
    ("bad", "code", "message"),
    [
        ({"MetricData": [datum()]}, "MissingParameter", "Namespace is required"),
        (request(namespace="AWS/Glue"), "InvalidParameterValue", "must not start with 'AWS/'"),
        (request(namespace=""), "InvalidParameterValue", "Namespace must be a string of 1"),
        ({"Namespace": "Lakehouse"}, "MissingParameter", "MetricData is required"),
        ({"Namespace": "L", "MetricData": []}, "InvalidParameterValue", "1 to 1000 items, got 0"),
        (
            {"Namespace": "L", "MetricData": [datum()] * 1001},
            "InvalidParameterValue",
            "1 to 1000 items, got 1001",
        ),
        (request(datum(MetricName=...)), "MissingParameter", "member.1.MetricName is required"),
        (request(datum(Value=...)), "MissingParameter", "member.1.Value is required"),
        (request(datum(Value="3")), "InvalidParameterValue", "Value must be a number"),
        (request(datum(Value=True)), "InvalidParameterValue", "Value must be a number"),
        (request(datum(Value=float("nan"))), "InvalidParameterValue", "NaN, infinity"),
        (request(datum(), datum(Value=float("inf"))), "InvalidParameterValue", "member.2.Value"),
        (request(datum(Value=2.0**361)), "InvalidParameterValue", "beyond 2\\^360"),
        (request(datum(Unit="Rows")), "InvalidParameterValue", "'Rows' for parameter"),
        (
            request(datum(Dimensions=[{"Name": f"d{i}", "Value": "v"} for i in range(31)])),
            "InvalidParameterValue",
            "greater than 30, got 31",
        ),
        (
            request(datum(Dimensions=[{"Name": "Environment"}])),
            "MissingParameter",
            "Dimensions.member.1.Value is required",
        ),
        (
            request(datum(Dimensions=[{"Name": "Environment", "Value": ""}])),
            "InvalidParameterValue",
            "Dimensions.member.1.Value must be a string of 1 to 1024",
        ),
        (
            request(datum(Dimensions=[{"Name": "A", "Value": "1"}, {"Name": "A", "Value": "2"}])),
            "InvalidParameterCombination",
            "duplicate dimensions",
        ),
        (request(datum(StatisticValues={})), "InvalidParameterValue", "not emulated"),
        (request(datum(Colour="red")), "InvalidParameterValue", "Unknown parameter"),
    ],
)
def test_a_request_cloudwatch_refuses_fails_and_stores_nothing(tmp_path, bad, code, message):
    path = cloudwatch.metrics_file(tmp_path)
    with pytest.raises(CloudWatchError, match=message) as raised:
        put_metric_data(path, bad)
    assert raised.value.code == code
    assert raised.value.error == f"CloudWatch.{code}Exception"
    assert "(Service: CloudWatch, Status Code: 400" in raised.value.cause
    assert not path.exists()


def test_every_unit_of_the_api_is_accepted(tmp_path) -> None:
    data = [datum(Unit=unit) for unit in sorted(cloudwatch.UNITS)]
    put_metric_data(cloudwatch.metrics_file(tmp_path), request(*data))
    assert len(cloudwatch.UNITS) == 27  # StandardUnit: 26 units and "None"


def test_requests_from_many_threads_are_whole_lines(tmp_path) -> None:
    path = cloudwatch.metrics_file(tmp_path)
    big = request(*[datum(Value=i) for i in range(200)])
    threads = [
        threading.Thread(target=lambda: [put_metric_data(path, big) for _ in range(5)])
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == 40
    assert all(len(json.loads(line)["MetricData"]) == 200 for line in lines)


def test_a_datum_shows_as_one_report_line() -> None:
    dims = [{"Name": n, "Value": v} for n, v in (("Environment", "local"), ("Layer", "bronze"))]
    assert (
        cloudwatch.datum_line(datum(Dimensions=dims, Value=1234))
        == "RawRows{Environment=local,Layer=bronze} 1234 Count"
    )
