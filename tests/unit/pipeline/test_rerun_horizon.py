"""A run of a date beyond the rerun horizon is refused loudly, by its first job (bronze),
before anything is read or written: maintenance may have dropped that date's bronze and
the landing lifecycle archived its raw files (docs/adr/0014)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lakehouse.contracts import load
from lakehouse.maintenance import (
    RUN_MANIFESTS,
    RerunBeyondHorizonError,
    refuse_beyond_rerun_horizon,
    rerun_horizon_days,
)
from lakehouse.steps import RunContext, run_bronze


def manifest(ops: Path, run_date: str, status: str) -> None:
    folder = ops / RUN_MANIFESTS / f"run_date={run_date}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"lakehouse-{run_date}.json").write_text(json.dumps({"status": status}), "utf-8")


def test_the_horizon_counts_back_from_the_newest_published_date(spark, tmp_path):
    assert rerun_horizon_days() == 90
    ops = tmp_path / "ops"
    refuse_beyond_rerun_horizon(spark, ops.as_uri(), "2000-01-01")  # nothing published yet
    manifest(ops, "2026-05-01", "PUBLISHED")
    manifest(ops, "2026-05-02", "BLOCKED")  # not published: not the reference
    refuse_beyond_rerun_horizon(spark, ops.as_uri(), "2026-01-31")  # 2026-05-01 - 90 days
    refuse_beyond_rerun_horizon(spark, ops.as_uri(), "2026-05-03")
    with pytest.raises(RerunBeyondHorizonError) as refused:
        refuse_beyond_rerun_horizon(spark, ops.as_uri(), "2026-01-30")
    assert str(refused.value) == (
        "run date 2026-01-30 is beyond the rerun horizon: the newest published run date is "
        "2026-05-01 and retention.rerun_horizon_days is 90 (lakehouse/contracts/_layers.json), "
        "so dates before 2026-01-31 may have lost their bronze and raw files; restore them and "
        "raise the horizon to rerun it"
    )


def test_bronze_refuses_before_reading_or_writing(spark, tmp_path):
    ops, raw, bronze = tmp_path / "ops", tmp_path / "raw", tmp_path / "bronze"
    manifest(ops, "2026-05-01", "PUBLISHED")
    landing = raw / "shop" / "orders" / "ingest_date=2026-01-30"
    landing.mkdir(parents=True)
    (landing / "orders.jsonl").write_text('{"order_id": "O1"}\n', "utf-8")
    ctx = RunContext(run_date="2026-01-30", run_id="lakehouse-2026-01-30", environment="local")

    with pytest.raises(RerunBeyondHorizonError, match="run date 2026-01-30 is beyond"):
        run_bronze(
            spark,
            load("orders"),
            ctx,
            raw_root=raw.as_uri(),
            bronze_root=bronze.as_uri(),
            ops_root=ops.as_uri(),
        )
    assert not bronze.exists()
    assert sorted(p.name for p in ops.iterdir()) == [RUN_MANIFESTS]  # no metrics written
