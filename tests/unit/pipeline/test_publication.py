"""The publication snapshot (docs/adr/0007): what a rollback of one run points readers at."""

from __future__ import annotations

from lakehouse import publication
from lakehouse.contracts.catalog import PUBLICATION_COLUMNS
from lakehouse.schemas import struct_of


def _snapshot(spark, rows):
    return spark.createDataFrame(rows, struct_of(list(PUBLICATION_COLUMNS)))


def test_a_rolled_back_run_gives_its_partitions_back_to_the_runs_before_it(spark) -> None:
    """Partitions of the rolled-back run point at the run the replaced publication named;
    one that run created is unpublished; partitions a later run republished stay."""
    before = _snapshot(
        spark,
        [
            ("daily_sales", "2026-01-01", "d1"),
            ("dim_customer", "2026-01-01", "d1"),
        ],
    )
    current = _snapshot(
        spark,
        [
            ("daily_sales", "2026-01-01", "d2"),  # late update restated by d2
            ("daily_sales", "2026-01-02", "d3"),  # d2 wrote it, d3 republished it
            ("dim_customer", "2026-01-01", "d1"),
            ("dim_customer", "2026-01-02", "d2"),  # new in d2
        ],
    )
    snapshot, changes = publication.rolled_back(current, before, "d2")
    assert publication.published_runs(snapshot) == {
        "daily_sales": {"2026-01-01": "d1", "2026-01-02": "d3"},
        "dim_customer": {"2026-01-01": "d1"},
    }
    assert changes == [
        {"table": "daily_sales", "partition_value": "2026-01-01", "from_run": "d2", "to_run": "d1"},
        {
            "table": "dim_customer",
            "partition_value": "2026-01-02",
            "from_run": "d2",
            "to_run": None,
        },
    ]
    assert snapshot.schema == current.schema


def test_rolling_back_a_run_that_owns_nothing_changes_nothing(spark) -> None:
    current = _snapshot(spark, [("daily_sales", "2026-01-01", "d1")])
    snapshot, changes = publication.rolled_back(current, _snapshot(spark, []), "d9")
    assert changes == []
    assert publication.published_runs(snapshot) == {"daily_sales": {"2026-01-01": "d1"}}
