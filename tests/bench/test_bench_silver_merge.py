"""The benchmark's DuckDB silver merge (bench/silver_merge.py) equals the pipeline's
Spark merge on every source entity: the `spark/duckdb silver merge ratio` line of
`make bench` compares two engines running the same logic, not two different merges."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
import pytest

from bench import silver_merge
from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.contracts import load as load_contract
from lakehouse.generate import GeneratorConfig, generate
from lakehouse.local.daily import run_day
from lakehouse.local.deployment import LocalDeployment
from lakehouse.silver_commit import TOMBSTONE_FLAG

pytestmark = pytest.mark.slow
START = dt.date(2026, 3, 1)
DAYS = [(START + dt.timedelta(days=i)).isoformat() for i in range(3)]


@pytest.fixture(scope="module")
def replay(tmp_path_factory, spark):
    """Three days run; silver as it stood before the last one, kept aside."""
    lake = tmp_path_factory.mktemp("bench-merge")
    generate(
        GeneratorConfig(
            out=lake,
            start=START,
            days=3,
            orders_per_day=150,
            customers=60,
            defect_rate=0.02,
            seed=5,
        )
    )
    deployment = LocalDeployment.at(lake)
    for day in DAYS[:-1]:
        run_day(deployment, day)
    stored = tmp_path_factory.mktemp("bench-merge-stored")
    for entity in SOURCE_ENTITIES:
        silver_merge.snapshot_silver(deployment.roots.silver_root, load_contract(entity), stored)
    run_day(deployment, DAYS[-1])
    return deployment, stored


@pytest.mark.parametrize("entity", SOURCE_ENTITIES)
def test_the_duckdb_merge_equals_the_spark_merge(replay, spark, tmp_path, entity) -> None:
    deployment, stored = replay
    contract = load_contract(entity)
    silver_root = deployment.roots.silver_root
    touched = silver_merge.spark_merge(
        spark, contract, silver_root, stored.as_uri(), DAYS[-1], tmp_path / "spark"
    )
    silver_merge.duckdb_merge(
        contract, silver_root, stored.as_uri(), DAYS[-1], touched, tmp_path / "duckdb"
    )
    spark_rows = silver_merge.rows_of(tmp_path / "spark")
    assert spark_rows, "the merge wrote nothing: the comparison would prove nothing"
    assert silver_merge.rows_of(tmp_path / "duckdb") == spark_rows
    if entity == "orders":  # late updates and deletes: both kinds of output are compared
        assert len(touched) > 1
        merged = pq.read_table(tmp_path / "spark").column(TOMBSTONE_FLAG).to_pylist()
        assert True in merged and False in merged
