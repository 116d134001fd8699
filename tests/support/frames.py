"""Whole-DataFrame comparison for tests (chispa-style, no extra dependency)."""

from __future__ import annotations

from pyspark.sql import DataFrame


def rows(df: DataFrame, order_by: list[str] | None = None) -> list[dict]:
    ordered = df.orderBy(*order_by) if order_by else df
    return [r.asDict(recursive=True) for r in ordered.collect()]


def assert_frame_equal(actual: DataFrame, expected: DataFrame, order_by: list[str]) -> None:
    """Same column names and types in the same order, and the same rows. Row order is
    ignored on purpose (``order_by`` gives a total order to compare in)."""
    assert actual.schema.simpleString() == expected.schema.simpleString(), (
        f"schema differs:\n  actual:   {actual.schema.simpleString()}\n  expected: {expected.schema.simpleString()}"
    )
    assert rows(actual, order_by) == rows(expected, order_by)
