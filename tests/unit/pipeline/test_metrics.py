"""The jobs' CloudWatch metrics (lakehouse/metrics.py): MetricData built from the jobs'
metrics records as contracts/_metrics.json defines them, sent in requests of at most
1000 data, to CloudWatch on Glue and to the local stand-in locally.
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html"""

from __future__ import annotations

import json
import runpy

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from lakehouse import metrics
from lakehouse.local.deployment import GLUE_JOBS_DIR
from lakehouse.metrics import (
    JOB_METRICS,
    LOCAL_METRICS_ENV,
    METRICS_NAMESPACE,
    JobMetric,
    metric_data,
    put_metric_data,
    unsent_metrics,
)
from lakehouse.runtime import RUNTIME_ENV, JobArgumentError

# What write_metrics returned for one day of each layer in a local run of the real jobs
# (tests/integration/test_gate.py's burst day, 2026-02-02), as stored in
# ops/metrics/<layer>/<entity>/run_date=D/metrics.json.
BRONZE = {
    "blank_lines_skipped": 0,
    "bronze_rows": 587,
    "empty_day_allowed": 0,
    "entity": "orders",
    "layer": "bronze",
    "malformed_rows": 16,
    "raw_data_lines": 587,
    "raw_files": 1,
    "raw_files_list": [
        "file:///lake/lakehouse-local-raw-000000000000-local/raw/shop/orders/"
        "ingest_date=2026-02-02/orders_2026-02-02_01.jsonl"
    ],
    "run_date": "2026-02-02",
    "run_id": "lakehouse-2026-02-02",
    "written_at": "2026-12-04T14:58:45+00:00",
}
SILVER = {
    "accepted": 416,
    "applied": 296,
    "bronze_rows": 587,
    "deletes_applied": 0,
    "duplicate_events": 2,
    "entity": "orders",
    "keys_in_batch": 297,
    "layer": "silver",
    "live_rows_in_touched_partitions": 466,
    "partition_column": "order_date",
    "quarantine_reasons": {
        "in_future:updated_at": 16,
        "invalid_type:amount": 25,
        "malformed_record": 16,
        "missing_required:order_id": 24,
        "not_allowed:currency": 23,
        "not_allowed:status": 19,
        "out_of_range:amount": 48,
    },
    "quarantined": 171,
    "run_date": "2026-02-02",
    "run_id": "lakehouse-2026-02-02",
    "stale_ignored": 1,
    "superseded_in_batch": 117,
    "touched_partitions": ["2026-01-15", "2026-02-01", "2026-02-02"],
    "written_at": "2026-12-04T14:58:52+00:00",
}
GOLD = {
    "entity": "all",
    "layer": "gold",
    "rows_staged": {
        "customer_value": 119,
        "daily_sales": 46,
        "dim_customer": 121,
        "fact_orders": 466,
        "monthly_sales": 29,
        "order_status_daily": 10,
        "weekly_sales": 46,
    },
    "run_date": "2026-02-02",
    "run_id": "lakehouse-2026-02-02",
    "touched_order_dates": ["2026-01-15", "2026-02-01", "2026-02-02"],
    "written_at": "2026-12-04T14:58:59+00:00",
}
REAL_RECORDS = [{**r, "duration_seconds": 12.3} for r in (BRONZE, SILVER, GOLD)]


def dims(environment: str, layer: str, entity: str, **extra: str) -> list[dict[str, str]]:
    values = {"Environment": environment, "Layer": layer, "Entity": entity, **extra}
    return [{"Name": k, "Value": v} for k, v in values.items()]


def datum(name: str, value: float, unit: str, dimensions: list[dict[str, str]]) -> dict:
    return {"MetricName": name, "Dimensions": dimensions, "Value": value, "Unit": unit}


def test_every_defined_metric_is_sent_by_some_real_job_record() -> None:
    """A definition naming a count no job produces (or a count renamed in steps.py)
    would send nothing, silently: this fails instead."""
    assert unsent_metrics(REAL_RECORDS) == []
    sent = {d["MetricName"] for r in REAL_RECORDS for d in metric_data(r, "dev")}
    assert sent == {m.name for m in JOB_METRICS}


def test_a_count_no_record_holds_is_reported(monkeypatch) -> None:
    renamed = JobMetric(name="RawRows", unit="Count", layer="bronze", count="raw_lines")
    monkeypatch.setattr(metrics, "JOB_METRICS", (*JOB_METRICS, renamed))
    assert unsent_metrics(REAL_RECORDS) == ["RawRows"]


def test_bronze_record_gives_its_three_counts_and_its_duration() -> None:
    d = dims("prod", "bronze", "orders")
    assert metric_data(REAL_RECORDS[0], "prod") == [
        datum("RawRows", 587, "Count", d),
        datum("BronzeRows", 587, "Count", d),
        datum("MalformedRows", 16, "Count", d),
        datum("JobDuration", 12.3, "Seconds", d),
    ]


def test_silver_record_gives_one_datum_per_quarantine_reason() -> None:
    d = dims("dev", "silver", "orders")
    expected = [datum("AcceptedRows", 416, "Count", d), datum("QuarantinedRows", 171, "Count", d)]
    expected += [
        datum("QuarantinedRowsByReason", n, "Count", dims("dev", "silver", "orders", Reason=r))
        for r, n in sorted(SILVER["quarantine_reasons"].items())
    ]
    expected.append(datum("JobDuration", 12.3, "Seconds", d))
    # BronzeRows is a bronze metric: silver's own bronze_rows count is not sent as it
    assert metric_data(REAL_RECORDS[1], "dev") == expected


def test_gold_record_gives_one_datum_per_table_with_the_table_as_entity() -> None:
    data = metric_data(REAL_RECORDS[2], "dev")
    gold = [x for x in data if x["MetricName"] == "GoldRows"]
    assert gold == [
        datum("GoldRows", n, "Count", dims("dev", "gold", table))
        for table, n in sorted(GOLD["rows_staged"].items())
    ]
    assert data[-1] == datum("JobDuration", 12.3, "Seconds", dims("dev", "gold", "all"))


def test_a_missing_count_is_not_sent_and_a_non_number_fails() -> None:
    record = {"layer": "silver", "entity": "fx_rates", "accepted": 3, "quarantine_reasons": {}}
    assert [x["MetricName"] for x in metric_data(record, "dev")] == ["AcceptedRows"]
    with pytest.raises(ValueError, match="AcceptedRows.*not a number"):
        metric_data({**record, "accepted": "3"}, "dev")
    with pytest.raises(ValueError, match="not a number"):
        metric_data({**record, "accepted": float("nan")}, "dev")


def _datums(n: int) -> list[dict]:
    return [datum("RawRows", i, "Count", dims("dev", "bronze", "orders")) for i in range(n)]


def test_put_metric_data_sends_at_most_1000_data_per_request(monkeypatch) -> None:
    """2500 data -> 1000 + 1000 + 500, each request checked against the API's model by
    botocore's Stubber (no network)."""
    monkeypatch.delenv(RUNTIME_ENV, raising=False)
    client = boto3.client(
        "cloudwatch",
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    data = _datums(2500)
    with Stubber(client) as stub:
        for start, end in ((0, 1000), (1000, 2000), (2000, 2500)):
            stub.add_response(
                "put_metric_data", {}, {"Namespace": "Lakehouse", "MetricData": data[start:end]}
            )
        assert put_metric_data(data, client=client) == 3
        stub.assert_no_pending_responses()


def test_put_metric_data_on_glue_uses_boto3_and_lets_its_error_fail_the_job(monkeypatch) -> None:
    monkeypatch.delenv(RUNTIME_ENV, raising=False)
    client = boto3.client(
        "cloudwatch",
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    made = []
    monkeypatch.setattr(boto3, "client", lambda service: made.append(service) or client)
    with Stubber(client) as stub:
        stub.add_response(
            "put_metric_data", {}, {"Namespace": METRICS_NAMESPACE, "MetricData": _datums(2)}
        )
        stub.add_client_error("put_metric_data", "Throttling", http_status_code=400)
        assert put_metric_data(_datums(2)) == 1
        with pytest.raises(ClientError, match="Throttling"):
            put_metric_data(_datums(2))
    assert made == ["cloudwatch", "cloudwatch"]


def test_locally_the_requests_go_to_the_stand_in_file(monkeypatch, tmp_path) -> None:
    target = tmp_path / "_local" / "cloudwatch" / "metric_data.jsonl"
    monkeypatch.setenv(RUNTIME_ENV, "local")
    monkeypatch.setenv(LOCAL_METRICS_ENV, str(target))
    assert put_metric_data(_datums(1001)) == 2
    lines = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert [len(x["MetricData"]) for x in lines] == [1000, 1]
    assert {x["Namespace"] for x in lines} == {METRICS_NAMESPACE}
    assert all(x["ReceivedAt"].endswith("Z") for x in lines)


def test_locally_without_the_file_variable_it_fails_naming_it(monkeypatch) -> None:
    monkeypatch.setenv(RUNTIME_ENV, "local")
    monkeypatch.delenv(LOCAL_METRICS_ENV, raising=False)
    with pytest.raises(RuntimeError, match=LOCAL_METRICS_ENV):
        put_metric_data(_datums(1))


@pytest.mark.parametrize("job", ["bronze_ingest", "silver_merge", "gold_build"])
def test_every_entry_script_requires_the_environment(job, monkeypatch) -> None:
    monkeypatch.setenv(RUNTIME_ENV, "local")
    main = runpy.run_path(str(GLUE_JOBS_DIR / f"{job}.py"), run_name=f"test_{job}")["main"]
    with pytest.raises(JobArgumentError, match="--environment"):
        main([f"{job}.py", "--run_date", "2026-01-01", "--run_id", "r"])


def test_run_context_refuses_an_empty_environment() -> None:
    from lakehouse.steps import RunContext

    args = {"run_date": "2026-01-01", "run_id": "r", "environment": " "}
    with pytest.raises(JobArgumentError, match="--environment"):
        RunContext.from_args(args)
    assert RunContext.from_args({**args, "environment": "dev"}, 5.0).started == 5.0
