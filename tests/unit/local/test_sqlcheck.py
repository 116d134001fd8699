"""The SQL lint for sql/: one Trino statement, no functions that transpile unfaithfully."""

from __future__ import annotations

import pytest

from lakehouse.local.sqlcheck import FORBIDDEN_FUNCTIONS, lint_trino

CLEAN_CHECK = """
with source as (
    select order_id, amount from silver.orders where order_date = ?
),

shaped as (
    select count(*) as count_orders, count_if(amount < 0) as count_negative from source
)

select count_negative = 0 as is_passed, count_negative as observed_value from shaped
"""


def test_a_clean_check_has_no_problems() -> None:
    assert lint_trino(CLEAN_CHECK) == []


def test_environment_list_of_unfaithful_functions_is_forbidden() -> None:
    expected = {"approx_distinct", "day_of_week", "greatest", "listagg", "format_datetime"}
    assert expected <= set(FORBIDDEN_FUNCTIONS)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        ("approx_distinct(order_id)", "approx_distinct"),
        ("day_of_week(ordered_at)", "day_of_week"),
        ("GREATEST(amount, 0)", "greatest"),
        ("format_datetime(ordered_at, 'yyyy')", "format_datetime"),
        ("listagg(status, ',') within group (order by status)", "listagg"),
    ],
)
def test_forbidden_functions_are_reported_with_their_line(call: str, name: str) -> None:
    problems = lint_trino(
        f"select\n    {call} as value\nfrom silver.orders", lowercase_keywords=False
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"line 2: {name}(): ")


def test_names_in_strings_comments_and_columns_are_not_calls() -> None:
    sql = "select 'greatest(a, b)' as label, day_of_week -- approx_distinct(x)\nfrom t"
    assert lint_trino(sql) == []


def test_array_agg_is_forbidden_only_with_an_order_by_inside() -> None:
    assert lint_trino("select array_agg(status) as statuses from t") == []
    ordered = lint_trino("select array_agg(status order by updated_at) as statuses from t")
    assert len(ordered) == 1
    assert ordered[0].startswith("line 1: array_agg(... order by ...): ")
    outer_order = "select array_agg(status) as statuses from t group by 1 order by 1"
    assert lint_trino(outer_order) == []


def test_unparseable_sql_and_several_statements_are_problems() -> None:
    unparseable = lint_trino("select from where")
    assert len(unparseable) == 1
    assert unparseable[0].startswith("line 1: does not parse as Trino: ")
    assert lint_trino("select 1; select 2") == ["2 statements; a file holds exactly one"]
    assert lint_trino("select 'unterminated")[0].startswith("does not tokenize as Trino")


def test_uppercase_keywords_are_reported_unless_disabled() -> None:
    sql = "SELECT status\nfrom t Group By status"
    assert lint_trino(sql) == [
        "line 1: keyword 'SELECT' should be lowercase",
        "line 2: keyword 'Group By' should be lowercase",
    ]
    assert lint_trino(sql, lowercase_keywords=False) == []
