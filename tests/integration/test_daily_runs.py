"""A week of generated data, processed day by day: accounting, late data, deletes,
reruns, processing order, PII and where every injected defect lands."""

from __future__ import annotations

import csv
import json
import random
import shutil

import pytest
from pyspark.sql import functions as F

from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.local.daily import run_day
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.jobs import run_job
from tests.integration.conftest import dates, file_listing

pytestmark = pytest.mark.slow
SILVER_DATASETS = [d for e in SOURCE_ENTITIES for d in (e, f"{e}_deleted", f"{e}_changes")]
VOLATILE = ["_run_id", "_source_file"]  # differ by run id / lake path, not by content


def read(spark, path, drop=()):
    df = spark.read.parquet(str(path))
    return df.drop(*[c for c in drop if c in df.columns])


def snapshot(spark, root, datasets):
    """Sorted rows of each dataset (volatile lineage dropped), for exact comparison."""
    out = {}
    for name in datasets:
        if (root / name).exists():
            df = read(spark, root / name, VOLATILE)
            out[name] = sorted(tuple(r) for r in df.select(sorted(df.columns)).collect())
    return out


def test_every_run_accounts_for_every_row(week, spark):
    bronze_root, quarantine_root = week.local("bronze_root"), week.local("quarantine_root")
    for day, result in week.results.items():
        for entity in SOURCE_ENTITIES:
            b = result.metrics(week.deployment, "bronze", entity)
            s = result.metrics(week.deployment, "silver", entity)
            assert b["raw_data_lines"] == b["bronze_rows"], (day, entity)
            assert s["bronze_rows"] == b["bronze_rows"] == s["accepted"] + s["quarantined"], (
                day,
                entity,
            )
            stored = read(spark, bronze_root / entity).where(F.col("ingest_date") == day).count()
            assert stored == b["bronze_rows"], (day, entity)
            q = quarantine_root / entity / f"ingest_date={day}"
            assert (read(spark, q).count() if q.exists() else 0) == s["quarantined"], (day, entity)


def test_a_late_update_rewrites_only_its_own_partitions(week):
    last = dates()[-1]
    touched = week.results[last].metrics(week.deployment, "silver", "orders")["touched_partitions"]
    assert any(d < dates()[-3] for d in touched), f"no late update reached back: {touched}"
    after = file_listing(week.local("silver_root") / "orders")
    before = week.silver_orders_before_last_day
    untouched = [p for p in before if p.split("/")[0].split("=")[1] not in touched]
    assert untouched, "every partition was touched; the test would prove nothing"
    for path in untouched:
        assert after.get(path) == before[path], f"{path} was rewritten but its date was not touched"
    changed = {p.split("/")[0] for p in set(after) ^ set(before)}
    assert changed <= {f"order_date={d}" for d in touched}


def latest_clean_events(week):
    """Per order id, the newest event among raw lines that carry no injected defect."""
    defects = set()
    for path in (week.lake / "_generator").glob("ingest_date=*/defects.jsonl"):
        for line in path.read_text().splitlines():
            d = json.loads(line)
            if d["entity"] == "orders" and d["line"]:
                defects.add((d["file"], d["line"]))
    newest = {}
    raw = week.local("raw_root")
    for path in sorted(raw.glob("shop/orders/ingest_date=*/*.jsonl")):
        rel = str(path.relative_to(raw))
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            if (rel, n) in defects or not line.strip():
                continue
            e = json.loads(line)
            key = (e["updated_at"], e["op"] == "D")
            if e["order_id"] not in newest or key > newest[e["order_id"]][0]:
                newest[e["order_id"]] = (key, e)
    return {k: e for k, (_, e) in newest.items()}


def test_current_state_is_the_newest_event_and_deletes_disappear(week, spark):
    expected = latest_clean_events(week)
    live = {
        r.order_id: r.status for r in read(spark, week.local("silver_root") / "orders").collect()
    }
    deleted = {
        r.order_id for r in read(spark, week.local("silver_root") / "orders_deleted").collect()
    }
    expected_deleted = {k for k, e in expected.items() if e["op"] == "D"}
    assert expected_deleted, "the generator produced no deletes"
    assert deleted == expected_deleted
    assert not deleted & set(live)
    assert live == {k: e["status"] for k, e in expected.items() if e["op"] != "D"}


def test_rerunning_days_changes_nothing(week, spark):
    silver = week.local("silver_root")
    before = snapshot(spark, silver, SILVER_DATASETS)
    last = dates()[-1]
    for day, run_id in ((dates()[2], "rerun-old-day"), (last, "rerun-last-day")):
        run_day(week.deployment, day, run_id=run_id)
        assert snapshot(spark, silver, SILVER_DATASETS) == before, (
            f"silver changed after rerunning {day}"
        )
    staging = week.local("gold_staging_root")
    for table in (
        "daily_sales",
        "weekly_sales",
        "monthly_sales",
        "fact_orders",
        "order_status_daily",
        "dim_customer",
        "customer_value",
    ):
        original = read(spark, staging / table / f"run_id={week.results[last].run_id}")
        rerun = read(spark, staging / table / "run_id=rerun-last-day")
        assert original.count() > 0
        assert sorted(original.collect()) == sorted(rerun.collect()), table


def test_processing_days_in_any_order_gives_the_same_silver(week, spark, tmp_path):
    other = LocalDeployment.at(tmp_path / "shuffled")
    shutil.copytree(week.local("raw_root"), other.roots.raw_root[len("file://") :])
    for day in dates():
        for entity in SOURCE_ENTITIES:
            assert (
                run_job(
                    other, "bronze_ingest", {"--run_date": day, "--run_id": "b", "--entity": entity}
                ).state
                == "SUCCEEDED"
            )
    shuffled = dates()
    random.Random(3).shuffle(shuffled)
    assert shuffled != dates()
    for day in shuffled:
        for entity in SOURCE_ENTITIES:
            run = run_job(
                other, "silver_merge", {"--run_date": day, "--run_id": "s", "--entity": entity}
            )
            assert run.state == "SUCCEEDED", run.error_message
    live_and_deleted = [d for e in SOURCE_ENTITIES for d in (e, f"{e}_deleted")]
    # Both lakes use their own random PII key: compare with tokens dropped.
    drop = ["email_token"]
    ours = {k: v for k, v in snapshot(spark, week.local("silver_root"), live_and_deleted).items()}
    theirs = snapshot(
        spark,
        other.lake_dir / "lakehouse-local-curated-000000000000-local" / "silver",
        live_and_deleted,
    )
    assert set(ours) == set(theirs)
    for name, our_rows in ours.items():
        cols = sorted(c for c in read(spark, week.local("silver_root") / name, VOLATILE).columns)
        keep = [i for i, c in enumerate(cols) if c not in drop]
        assert [tuple(r[i] for i in keep) for r in our_rows] == [
            tuple(r[i] for i in keep) for r in theirs[name]
        ], name


def raw_pii(week):
    emails, phones = set(), set()
    for path in week.local("raw_root").glob("shop/customers/ingest_date=*/*.csv"):
        rows = list(csv.reader(path.read_text(errors="replace").splitlines()))
        header = rows[0] if rows else []
        for row in rows[1:]:
            record = dict(zip(header, row, strict=False))
            if "@" in record.get("email", ""):
                emails.add(record["email"].strip())
            if len(record.get("phone", "").strip()) > 4:
                phones.add(record["phone"].strip())
    return emails, phones


def test_no_clear_text_email_or_phone_anywhere_in_silver_quarantine_or_gold(week, spark):
    emails, phones = raw_pii(week)
    assert len(emails) > 50 and len(phones) > 50
    roots = [
        week.local("silver_root"),
        week.local("quarantine_root"),
        week.local("gold_staging_root"),
    ]
    leaks, scanned = [], 0
    for root in roots:
        for dataset in sorted(
            p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")
        ):
            df = spark.read.parquet(str(dataset))
            text_columns = [
                F.coalesce(F.col(f"`{c}`").cast("string"), F.lit("")) for c in df.columns
            ]
            for row in df.select(F.concat_ws("\u0001", *text_columns).alias("t")).collect():
                scanned += 1
                leaks += [v for v in emails | phones if v in row.t]
    assert scanned > 1000
    assert leaks == []


def test_every_injected_defect_lands_where_the_table_says(week, spark):
    manifests = sorted((week.lake / "_generator").glob("ingest_date=*/defects.jsonl"))
    defects = [json.loads(line) for p in manifests for line in p.read_text().splitlines()]
    kinds = {d["kind"] for d in defects}
    from lakehouse.generate import DEFECT_KINDS

    assert kinds == set(DEFECT_KINDS), f"kinds never injected: {set(DEFECT_KINDS) - kinds}"
    quarantine = {}
    for entity in SOURCE_ENTITIES:
        path = week.local("quarantine_root") / entity
        if path.exists():
            for r in read(spark, path).collect():
                rel = r._source_file.split("/raw/", 1)[1]
                quarantine[(entity, rel, r._line_number)] = r.reasons
    checked = 0
    for d in defects:
        where = (d["entity"], d["file"], d["line"])
        expected = d["expected"]
        if expected["layer"] == "quarantine":
            assert expected["reason"] in quarantine.get(where, []), d
            checked += 1
        elif d["line"] is not None:
            assert where not in quarantine, f"{d['kind']} should not be quarantined: {d}"
            checked += 1
    assert checked > 20
