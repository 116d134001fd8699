"""The validation gate and write-audit-publish, through the real state machine
definition executed locally: what readers can see after each kind of run."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from lakehouse.generate import GeneratorConfig, generate
from lakehouse.local import outbox
from lakehouse.local.athena import LocalAthena
from lakehouse.local.executions import run_pipeline

pytestmark = pytest.mark.slow
START = dt.date(2026, 2, 1)
CLEAN, BURST, FAULTY = "2026-02-01", "2026-02-02", "2026-02-03"
GOLD_TABLES = (
    "daily_sales",
    "weekly_sales",
    "monthly_sales",
    "fact_orders",
    "order_status_daily",
    "dim_customer",
    "customer_value",
)


def config(out):
    return GeneratorConfig(
        out=out,
        start=START,
        days=3,
        orders_per_day=250,
        customers=120,
        defect_rate=0.005,
        seed=23,
        bursts={dt.date.fromisoformat(BURST): 0.3},
    )


@pytest.fixture(scope="session")
def gated(tmp_path_factory, spark):
    """Day 1 clean, day 2 a defect burst, day 3 a Glue job that keeps failing, then day
    3 rerun with the fault gone. The reference runs the same days with no fault: a copy
    of the lake taken after days 1 and 2 (which ran there exactly as the reference would
    run them), then day 3."""
    lake = tmp_path_factory.mktemp("gated")
    generate(config(lake))
    runs = {
        "clean": run_pipeline(lake, CLEAN),
        "burst": run_pipeline(lake, BURST),
    }
    reference = tmp_path_factory.mktemp("reference")
    shutil.copytree(lake, reference, dirs_exist_ok=True)
    runs["faulty"] = run_pipeline(lake, FAULTY, faults={"silver_merge": 99})
    runs["fixed"] = run_pipeline(lake, FAULTY, rerun=True)
    run_pipeline(reference, FAULTY)
    return lake, reference, runs


def published(lake, table):
    """{partition value: run id} of what readers can see: the publication that
    ops.published_partitions points at (docs/adr/0007)."""
    rows = query(
        lake,
        "select partition_value, run_id from ops.published_partitions "
        f"where table_name = '{table}'",
    )
    return dict(rows)


def query(lake, sql):
    athena = LocalAthena(lake)
    run = athena.run_sync({"QueryString": sql, "QueryExecutionContext": {"Database": "gold"}})
    rows = athena.get_query_results(QueryExecutionId=run["QueryExecution"]["QueryExecutionId"])[
        "ResultSet"
    ]["Rows"]
    return [[c.get("VarCharValue") for c in r["Data"]] for r in rows[1:]]


def test_a_passing_gate_publishes_every_gold_table(gated):
    lake, _, runs = gated
    assert runs["clean"].status == "SUCCEEDED", runs["clean"].cause
    for table in GOLD_TABLES:
        locations = published(lake, table)
        assert locations, table
        assert "lakehouse-2026-02-01" in locations.values(), table
    rows = query(lake, f"select count(*) from daily_sales where order_date = '{CLEAN}'")
    assert int(rows[0][0]) > 0


def test_a_failing_gate_blocks_publish_alerts_and_fails_with_the_checks(gated):
    lake, _, runs = gated
    burst = runs["burst"]
    assert burst.status == "FAILED"
    assert burst.error == "ValidationGateFailed"
    assert "quarantine_rate" in burst.cause and '"verdict":"fail"' in burst.cause
    for table in GOLD_TABLES:
        assert burst.name not in published(lake, table).values(), table
    staged = (
        lake
        / "lakehouse-local-analytics-000000000000-local"
        / "gold_staging"
        / "daily_sales"
        / f"run_id={burst.name}"
    )
    assert list(staged.rglob("*.parquet")), (
        "the blocked run did stage data (it just never became visible)"
    )
    alerts = [m for m in outbox.messages(lake) if BURST in (m["Subject"] or "")]
    assert len(alerts) == 1 and "validation gate blocked publish" in alerts[0]["Subject"]
    assert "quarantine_rate" in alerts[0]["Message"] and '"observed"' in alerts[0]["Message"]
    manifest = (
        lake
        / "lakehouse-local-analytics-000000000000-local"
        / "ops"
        / "run_manifest"
        / f"run_date={BURST}"
        / f"{burst.name}.json"
    )
    assert json.loads(manifest.read_text())["status"] == "BLOCKED"


def test_readers_keep_the_last_good_data_after_a_blocked_run(gated):
    lake, _, runs = gated
    snapshot = published(lake, "dim_customer")
    assert BURST not in snapshot  # the blocked day's customer snapshot never appeared
    latest = query(lake, "select max(snapshot_date) from dim_customer")[0][0]
    assert latest != BURST


def test_a_failing_glue_job_is_retried_then_alerted_and_nothing_is_published(gated):
    lake, _, runs = gated
    faulty = runs["faulty"]
    assert faulty.status == "FAILED" and faulty.error == "States.TaskFailed"
    assert "injected failure" in faulty.cause
    attempts = [e for e in faulty.history if e["type"] == "TaskFailed"]
    assert len(attempts) >= 2, "the failed Glue run was not retried"
    alerts = [m for m in outbox.messages(lake) if FAULTY in (m["Subject"] or "")]
    assert any("run failed" in m["Subject"] and "States.TaskFailed" in m["Message"] for m in alerts)
    manifest = (
        lake
        / "lakehouse-local-analytics-000000000000-local"
        / "ops"
        / "run_manifest"
        / f"run_date={FAULTY}"
        / f"{faulty.name}.json"
    )
    assert json.loads(manifest.read_text())["status"] == "FAILED"
    assert not (
        lake
        / "lakehouse-local-analytics-000000000000-local"
        / "gold_staging"
        / "daily_sales"
        / f"run_id={faulty.name}"
    ).exists()


def test_rerunning_a_fixed_date_gives_what_a_clean_run_gives(gated):
    lake, reference, runs = gated
    assert runs["fixed"].status == "SUCCEEDED", runs["fixed"].cause
    assert runs["fixed"].name != runs["faulty"].name
    for table in ("daily_sales", "order_status_daily", "customer_value"):
        ours = sorted(query(lake, f"select * from {table}"))
        theirs = sorted(query(reference, f"select * from {table}"))
        assert ours == theirs, table


def test_starting_a_date_again_returns_the_same_execution(gated):
    lake, _, runs = gated
    again = run_pipeline(lake, CLEAN)
    assert again.name == runs["clean"].name and again.start_date == runs["clean"].start_date


def test_the_run_report_gives_each_days_wall_time_per_layer(gated):
    """`lakehouse run`'s table and the HTML report show where a day's time went, per
    layer, from the execution history (lakehouse/local/report.py)."""
    from lakehouse.local.report import console_table, html_report, summarise

    lake, _, _ = gated
    days = {d.run_date: d for d in summarise(lake)}
    clean = days[CLEAN].layer_seconds
    assert all(clean[layer] > 0 for layer in ("bronze", "silver", "gold", "gate")), clean
    assert "publish" in clean  # a few catalog calls: can round to 0.0 s
    assert abs(sum(v for k, v in clean.items() if k != "total") - clean["total"]) <= 0.3
    blocked = days[BURST].layer_seconds  # the gate blocked it: nothing was published
    assert "gate" in blocked and "publish" not in blocked
    table = console_table(list(days.values()))
    assert "wall seconds per layer:" in table
    assert f"\n  {CLEAN[5:]:>8} {clean['bronze']:>8.1f} {clean['silver']:>8.1f}" in table
    assert "Wall seconds per layer per day" in html_report(list(days.values()))


def test_each_glue_job_sends_its_metrics_record_to_cloudwatch(gated):
    """One PutMetricData request per Glue job of the day, received while the day's run
    ran, whose data are exactly lakehouse.metrics.metric_data of the job's JSON metrics
    record (plus its duration); over the run dates every metric of _metrics.json is sent
    (a count renamed in steps.py would leave its metric unsent)."""
    from lakehouse.contracts import SOURCE_ENTITIES
    from lakehouse.layout import to_local_path
    from lakehouse.local.cloudwatch import read_metric_data
    from lakehouse.local.deployment import LocalDeployment
    from lakehouse.local.executions import list_executions
    from lakehouse.local.report import execution_windows
    from lakehouse.metrics import JOB_METRICS, METRICS_NAMESPACE, metric_data, metrics_location

    lake, _, runs = gated
    start, end = execution_windows(list_executions(lake))[runs["clean"].name]
    requests = read_metric_data(lake)
    during = [r for r in requests if start <= dt.datetime.fromisoformat(r["ReceivedAt"]) <= end]
    by_job = {}
    for request in during:
        duration = [d for d in request["MetricData"] if d["MetricName"] == "JobDuration"]
        if not duration:
            continue  # not a job's request (the state machine's gate metrics)
        dims = {d["Name"]: d["Value"] for d in duration[0]["Dimensions"]}
        assert (dims["Layer"], dims["Entity"]) not in by_job, "a job sent two requests"
        by_job[(dims["Layer"], dims["Entity"])] = request
    jobs = [(layer, e) for layer in ("bronze", "silver") for e in SOURCE_ENTITIES]
    assert sorted(by_job) == sorted([*jobs, ("gold", "all")])
    ops_root = LocalDeployment.at(lake).roots.ops_root
    for (layer, entity), request in by_job.items():
        assert request["Namespace"] == METRICS_NAMESPACE
        path = to_local_path(metrics_location(ops_root, layer, entity, CLEAN))
        record = json.loads(path.read_text("utf-8"))
        duration = next(d for d in request["MetricData"] if d["MetricName"] == "JobDuration")
        assert 0 < duration["Value"] <= (end - start).total_seconds()
        expected = metric_data({**record, "duration_seconds": duration["Value"]}, "local")
        assert request["MetricData"] == expected, (layer, entity)
    raw = next(
        d["Value"]
        for d in by_job[("bronze", "orders")]["MetricData"]
        if d["MetricName"] == "RawRows"
    )
    assert raw > 0
    sent = {d["MetricName"] for r in requests for d in r["MetricData"]}
    assert {m.name for m in JOB_METRICS} <= sent


def test_the_run_report_shows_the_metric_data_each_run_sent(gated):
    from lakehouse.local.report import console_table, html_report, summarise

    lake, _, _ = gated
    days = {d.run_date: d for d in summarise(lake)}
    clean = days[CLEAN]
    assert clean.metric_data == sorted(clean.metric_data)
    raw = [line for line in clean.metric_data if line.startswith("RawRows{")]
    assert len(raw) == 3
    assert any(
        line.startswith("RawRows{Environment=local,Layer=bronze,Entity=orders} ")
        and line.endswith(" Count")
        for line in raw
    )
    gold = [line for line in clean.metric_data if line.startswith("GoldRows{")]
    assert len(gold) == len(GOLD_TABLES)
    # the state machine's own request (aws-sdk:cloudwatch:putMetricData after the gate)
    assert "RunsBlocked{Environment=local} 0 Count" in clean.metric_data
    assert "RunsBlocked{Environment=local} 1 Count" in days[BURST].metric_data
    # the latest run of the faulty date is the fixed rerun: its own jobs' data only
    fixed = days[FAULTY].metric_data
    assert len([line for line in fixed if line.startswith("JobDuration{")]) == 7
    # the terminal's table leaves them out unless asked (about 40 lines a day)
    assert "CloudWatch metric data" not in console_table(list(days.values()))
    table = console_table(list(days.values()), metric_data=True)
    assert "CloudWatch metric data received during each run (Lakehouse):" in table
    assert f"    {raw[0]}" in table
    page = html_report(list(days.values()))
    assert "CloudWatch metric data per day" in page
    assert "RawRows" in page and "Entity=orders" in page
