"""typeof() and format() in the local Athena beyond the conformance examples: columns,
NULLs per row, and the refusals (lakehouse/local/athena_typeof.py, athena_format.py).
Expected values follow Trino's TestTypeOfFunction / TestFormatFunction (NULL formats as
``null``) and java.util.Formatter; the rest must fail loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from lakehouse.local.athena import LocalAthena
from lakehouse.local.catalog import bootstrap


@pytest.fixture(scope="module")
def athena(tmp_path_factory) -> LocalAthena:
    lake: Path = tmp_path_factory.mktemp("typeof_format")
    bootstrap(lake)
    return LocalAthena(lake)


def _run(athena: LocalAthena, sql: str) -> tuple[str, object]:
    started = athena.start_query_execution(
        QueryString=sql, QueryExecutionContext={"Database": "gold"}
    )
    execution_id = started["QueryExecutionId"]
    status = athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]["Status"]
    if status["State"] == "FAILED":
        return "failed", status["StateChangeReason"]
    rows = athena.get_query_results(QueryExecutionId=execution_id)["ResultSet"]["Rows"][1:]
    return "rows", [tuple(d.get("VarCharValue") for d in r["Data"]) for r in rows]


def test_format_prints_null_for_a_null_argument_row_by_row(athena: LocalAthena) -> None:
    sql = "SELECT format('%s-%d|%5d|', k, v, v) FROM (VALUES ('a', 1), (NULL, NULL)) t(k, v)"
    assert _run(athena, sql) == ("rows", [("a-1|    1|",), ("null-null| null|",)])


def test_typeof_of_a_values_column_of_a_type_named_alike(athena: LocalAthena) -> None:
    sql = "SELECT typeof(x), typeof(y) FROM (VALUES (1, 2.5)) t(x, y)"
    assert _run(athena, sql) == ("rows", [("integer", "decimal(2,1)")])


@pytest.mark.parametrize(
    "sql",
    [
        # a VALUES column of literals is varchar(n) in Trino, VARCHAR in DuckDB
        "SELECT typeof(x) FROM (VALUES 'a') t(x)",
        # integer arithmetic: Trino may fail on overflow where DuckDB widens
        "SELECT typeof(2147483647 + 1)",
        # an argument failing inside TRY makes the whole call NULL in Trino
        "SELECT TRY(typeof(CAST('x' AS integer)))",
        "SELECT TRY(format('%d', CAST('x' AS integer)))",
        # Java prints doubles and dates its own way
        "SELECT format('%s', 1E0)",
        "SELECT format('%.2f', 1E0)",
        "SELECT format('%s', DATE '2020-01-01')",
        # Java pads by UTF-16 units
        "SELECT format('%5s', 'x\U0001d11ey')",
        # BigDecimal.toString is scientific below 10^-6
        "SELECT format('%s', DECIMAL '0.00000001')",
        "SELECT format(x, 1) FROM (VALUES '%s') t(x)",
    ],
)
def test_typeof_and_format_refuse_what_they_cannot_answer_exactly(
    athena: LocalAthena, sql: str
) -> None:
    outcome, reason = _run(athena, sql)
    assert outcome == "failed" and str(reason).startswith("NOT_SUPPORTED"), (sql, reason)
