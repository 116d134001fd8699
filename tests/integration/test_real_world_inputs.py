"""The landing-file kinds of tests/data/real_world_inputs/ (one folder per kind, rebuilt
from ../shared/real-world-inputs/) dropped into one day of a clean generated lake and
run through the state machine: every line accounted for, the right values in silver,
nothing in clear in quarantine, and the day still publishes (rules: docs/adr/0008)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import shutil
from pathlib import Path

import pytest
from pyspark.sql import functions as F

from lakehouse.contracts import SOURCE_ENTITIES, load
from lakehouse.generate import GeneratorConfig, generate
from lakehouse.layout import join, raw_entity_root, to_local_path
from lakehouse.local.daily import DayResult
from lakehouse.local.deployment import PII_SECRET_ID, LocalDeployment
from lakehouse.local.executions import run_pipeline

pytestmark = pytest.mark.slow
INPUTS = Path(__file__).parents[1] / "data" / "real_world_inputs"
DAY1, DAY2 = "2026-01-01", "2026-01-02"


@pytest.fixture(scope="module")
def lake(tmp_path_factory, spark):
    """A clean two-day lake (no generated defects); day 1 run, every kind's files copied
    next to day 2's generated files (prefixed with the kind's number, except a name that
    is itself the kind), day 2 run."""
    out = tmp_path_factory.mktemp("real_world")
    generate(
        GeneratorConfig(
            out=out,
            start=dt.date(2026, 1, 1),
            days=2,
            orders_per_day=250,
            customers=60,
            defects=(),
            seed=5,
        )
    )
    deployment = LocalDeployment.at(out)
    first = run_pipeline(out, DAY1)
    assert first.status == "SUCCEEDED", first.cause
    for path in sorted(INPUTS.glob("*/*/*")):
        kind, entity = path.parts[-3], path.parts[-2]
        contract = load(entity)
        landing = to_local_path(
            join(
                raw_entity_root(deployment.roots.raw_root, contract.source, entity),
                f"ingest_date={DAY2}",
            )
        )
        name = path.name if "[" in path.name else f"{kind[:2]}_{path.name}"
        shutil.copy(path, Path(landing) / name)
    second = run_pipeline(out, DAY2)
    return deployment, second


def silver(spark, deployment, dataset):
    return spark.read.parquet(str(to_local_path(join(deployment.roots.silver_root, dataset))))


def quarantine(spark, deployment, entity):
    root = to_local_path(join(deployment.roots.quarantine_root, entity, f"ingest_date={DAY2}"))
    return spark.read.parquet(str(root))


def test_the_day_publishes_with_every_line_accounted_for(lake):
    """A 0-byte CSV and whitespace files no longer block a clean day; the bad lines are
    quarantined (about 4% of the day, under the 5% gate), the rest publishes."""
    deployment, run = lake
    assert run.status == "SUCCEEDED", run.cause
    result = DayResult(run_date=DAY2, run_id=run.name)
    for entity in SOURCE_ENTITIES:
        bronze = result.metrics(deployment, "bronze", entity)
        merged = result.metrics(deployment, "silver", entity)
        assert bronze["raw_data_lines"] == bronze["bronze_rows"], entity
        assert merged["bronze_rows"] == merged["accepted"] + merged["quarantined"], entity
    orders = result.metrics(deployment, "silver", "orders")["quarantine_reasons"]
    assert orders == {"malformed_record": 2, "out_of_scale:amount": 3, "out_of_range:amount": 1}


def test_no_order_is_lost_or_resurrected(lake, spark):
    deployment, _ = lake
    live = {r.order_id: r for r in silver(spark, deployment, "orders").collect()}
    deleted = {r.order_id for r in silver(spark, deployment, "orders_deleted").collect()}
    # 07: insert and delete at one instant: deleted; 05: the file named with brackets
    assert "O900001000" not in live and "O900001000" in deleted
    assert live["O900000061"]._source_file.endswith("/orders_2026-01-02_[02].jsonl")
    # 01: two objects on a line / trailing text: quarantined whole, with the raw line
    q = quarantine(spark, deployment, "orders")
    malformed = q.where(F.array_contains("reasons", "malformed_record"))
    raw = [r.raw_record for r in malformed.collect()]
    assert any("O900000001" in t and "O900000002" in t for t in raw)
    assert any(t.endswith("} trailing-text") for t in raw)
    assert not {"O900000001", "O900000002", "O900000003"} & set(live)
    # 03: amounts beyond the scale never enter silver rounded; 12.345 is not 12.35
    assert not {"O900000021", "O900000022", "O900000023"} & set(live)


def test_customers_hold_exact_values_and_quarantine_no_pii(lake, spark):
    deployment, _ = lake
    key = json.loads(deployment.secrets_file.read_text("utf-8"))[PII_SECRET_ID]
    live = {r.customer_id: r for r in silver(spark, deployment, "customers").collect()}
    expected_token = hmac.new(key.encode(), b'"ana.lima"@mail.example', hashlib.sha256).hexdigest()
    assert live["C900011"].email_token == expected_token  # 02: RFC 4180 "" is one quote
    assert "C900012" not in live  # 02: backslash escape: malformed, not mangled
    assert "C900081" not in live and "C900082" not in live  # 06: partial date/time
    assert "C900122" in live and "C900121" not in live  # 08: quoted line break flagged
    rows = quarantine(spark, deployment, "customers").collect()
    text = " ".join(r.raw_record for r in rows)
    assert "900121" not in text and "7700" not in text and "ana.lima" not in text


def test_a_rate_date_with_trailing_words_does_not_replace_the_days_rate(lake, spark):
    deployment, _ = lake
    fx = silver(spark, deployment, "fx_rates")
    rates = fx.where((F.col("rate_date") == DAY2) & (F.col("currency") == "GBP")).collect()
    assert len(rates) == 1 and str(rates[0].usd_rate) != "1.30000000"
    reasons = [r.reasons for r in quarantine(spark, deployment, "fx_rates").collect()]
    assert ["invalid_type:rate_date"] in reasons
