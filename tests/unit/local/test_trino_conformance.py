"""The local Athena against the Trino documentation: each case is an example (or a
sentence) of a trino.io page, with the value, NULL-ness or type Trino gives there, or
the error it raises. The local engine must give exactly that, or refuse the query
naming the construct (NOT_SUPPORTED / FUNCTION_NOT_FOUND): never a different answer.
Expected values come from the pages cited, never from running our engine.

Pages (https://trino.io/docs/current/...): functions/decimal.html, functions/math.html,
functions/string.html, functions/conditional.html, functions/datetime.html,
functions/array.html, functions/aggregate.html, functions/json.html, functions/regexp.html.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lakehouse.local.athena import LocalAthena
from lakehouse.local.catalog import bootstrap

DOCS = "https://trino.io/docs/current/functions/"
REFUSED = "refused"  # NOT_SUPPORTED or FUNCTION_NOT_FOUND: loud, naming the construct


def value(text: str | None, type_: str | None = None) -> tuple[str, str | None, str | None]:
    return ("value", text, type_)


def error(code: str) -> tuple[str, str, None]:
    return ("error", code, None)


def refused() -> tuple[str, str, None]:
    return (REFUSED, REFUSED, None)


# (category, page#anchor, expression, expected)
CASES = [
    # -- decimals ---------------------------------------------------------------------
    ("decimals", "decimal.html#decimal-literals", "DECIMAL '0'", value("0", "decimal(1,0)")),
    (
        "decimals",
        "decimal.html#decimal-literals",
        "DECIMAL '12345'",
        value("12345", "decimal(5,0)"),
    ),
    (
        "decimals",
        "decimal.html#decimal-literals",
        "DECIMAL '0000012345.1234500000'",
        value("12345.1234500000", "decimal(20,10)"),
    ),
    # x / y of decimals keeps a decimal with Trino's own rounding: refused locally
    (
        "decimals",
        "decimal.html#binary-arithmetic-decimal-operators",
        "DECIMAL '9.0' / 5",
        refused(),
    ),
    (
        "decimals",
        "decimal.html#binary-arithmetic-decimal-operators",
        "DECIMAL '9.0' % 5",
        refused(),
    ),
    ("decimals", "aggregate.html#avg", "avg(DECIMAL '1.5')", refused()),
    # -- arithmetic ---------------------------------------------------------------------
    ("arithmetic", "math.html#mathematical-operators", "5 / 2", value("2", "integer")),
    ("arithmetic", "math.html#mathematical-operators", "-5 / 2", value("-2", "integer")),
    ("arithmetic", "math.html#mathematical-operators", "1 / 0", error("DIVISION_BY_ZERO")),
    ("arithmetic", "math.html#abs", "abs(-5)", value("5", "integer")),
    ("arithmetic", "math.html#mod", "mod(5, 3)", value("2", "integer")),
    ("arithmetic", "math.html#mod", "mod(-5, 3)", value("-2", "integer")),
    ("arithmetic", "math.html#mathematical-functions", "truncate(1.5)", refused()),
    ("arithmetic", "math.html#sign", "sign(-3)", refused()),
    ("arithmetic", "math.html#mathematical-operators", "1E0 / 0", value("Infinity", "double")),
    # -- casts ----------------------------------------------------------------------------
    (
        "casts",
        "conversion.html#cast",
        "CAST('2023-01-01 01:01:01' AS date)",
        error("INVALID_CAST_ARGUMENT"),
    ),
    ("casts", "conversion.html#cast", "CAST('2023-01-01' AS date)", value("2023-01-01", "date")),
    ("casts", "conversion.html#cast", "CAST('1.5' AS integer)", error("INVALID_CAST_ARGUMENT")),
    ("casts", "conversion.html#cast", "CAST('-12' AS bigint)", value("-12", "bigint")),
    ("casts", "conversion.html#try-cast", "try_cast('1.5' AS integer)", value(None, "integer")),
    (
        "casts",
        "conversion.html#try-cast",
        "try_cast('2023-01-01 01:01:01' AS date)",
        value(None, "date"),
    ),
    ("casts", "conversion.html#cast", "CAST(DECIMAL '2.5' AS integer)", value("3", "integer")),
    ("casts", "conversion.html#cast", "CAST(2.5E0 AS integer)", refused()),
    ("casts", "conversion.html#cast", "CAST(1.0E10 AS varchar)", refused()),
    # -- NULLs and conditionals -----------------------------------------------------------
    ("nulls", "conditional.html#coalesce", "coalesce(NULL, 2, 3)", value("2", "integer")),
    ("nulls", "conditional.html#nullif", "nullif(1, 1)", value(None, "integer")),
    ("nulls", "conditional.html#nullif", "nullif(1, 2)", value("1", "integer")),
    ("nulls", "conditional.html#if-expression", "if(NULL, 1, 0)", value("0", "integer")),
    ("nulls", "conditional.html#if-expression", "if(1 > 0, 'yes')", value("yes", "varchar")),
    ("nulls", "conditional.html#if-expression", "if(1 < 0, 'yes')", value(None, "varchar")),
    ("nulls", "conditional.html#try", "try(1 / 0)", refused()),
    ("nulls", "comparison.html#greatest-and-least", "greatest(1, NULL)", refused()),
    # -- strings --------------------------------------------------------------------------
    ("strings", "string.html#string-operators", "'ab' || 'cd'", value("abcd", "varchar")),
    ("strings", "string.html#concat", "concat('a', 'b', 'c')", value("abc", "varchar")),
    ("strings", "string.html#length", "length('hello')", value("5", "bigint")),
    ("strings", "string.html#lower", "lower('HeLLo')", value("hello", "varchar")),
    ("strings", "string.html#upper", "upper('HeLLo')", value("HELLO", "varchar")),
    ("strings", "string.html#reverse", "reverse('abc')", value("cba", "varchar")),
    ("strings", "string.html#starts_with", "starts_with('abc', 'ab')", value("true", "boolean")),
    ("strings", "string.html#split_part", "split_part('a,b', ',', 3)", refused()),
    ("strings", "string.html#strpos", "strpos('abcab', 'b', 2)", refused()),
    ("strings", "string.html#translate", "translate('abcd', 'a', 'z')", refused()),
    ("strings", "string.html#luhn_check", "luhn_check('79927398713')", refused()),
    ("strings", "string.html#trim", "trim(BOTH '$' FROM '$var$')", refused()),
    ("strings", "format.html#format", "format('%s%%', 123)", refused()),
    # -- regular expressions ---------------------------------------------------------------
    (
        "regex",
        "regexp.html#regexp_replace",
        "regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ')",
        refused(),
    ),
    ("regex", "regexp.html#regexp_like", "regexp_like('1a 2b 14m', '\\d+b')", refused()),
    # -- date and time ---------------------------------------------------------------------
    (
        "datetime",
        "datetime.html#date-and-time-operators",
        "date '2012-08-08' + interval '2' day",
        value("2012-08-10", "date"),
    ),
    (
        "datetime",
        "datetime.html#date_trunc",
        "date_trunc('day', TIMESTAMP '2022-10-20 05:10:00')",
        value("2022-10-20 00:00:00.000", "timestamp"),
    ),
    (
        "datetime",
        "datetime.html#date_trunc",
        "date_trunc('month', TIMESTAMP '2022-10-20 05:10:00')",
        value("2022-10-01 00:00:00.000", "timestamp"),
    ),
    (
        "datetime",
        "datetime.html#date_trunc",
        "date_trunc('year', TIMESTAMP '2022-10-20 05:10:00')",
        value("2022-01-01 00:00:00.000", "timestamp"),
    ),
    (
        "datetime",
        "datetime.html#date_add",
        "date_add('second', 86, TIMESTAMP '2020-03-01 00:00:00')",
        value("2020-03-01 00:01:26.000", "timestamp"),
    ),
    (
        "datetime",
        "datetime.html#date_add",
        "date_add('hour', 9, TIMESTAMP '2020-03-01 00:00:00')",
        value("2020-03-01 09:00:00.000", "timestamp"),
    ),
    (
        "datetime",
        "datetime.html#date_diff",
        "date_diff('day', DATE '2020-03-01', DATE '2020-03-02')",
        refused(),
    ),
    ("datetime", "datetime.html#extract", "extract(DOW FROM DATE '2024-01-07')", refused()),
    (
        "datetime",
        "datetime.html#from_iso8601_timestamp",
        "from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00')",
        refused(),
    ),
    (
        "datetime",
        "datetime.html#at-time-zone-operator",
        "timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'America/Los_Angeles'",
        refused(),
    ),
    # -- arrays ----------------------------------------------------------------------------
    ("arrays", "array.html#cardinality", "cardinality(ARRAY[1, 2, 4])", value("3", "bigint")),
    ("arrays", "array.html#contains", "contains(ARRAY[1, 2, 4], 2)", value("true", "boolean")),
    (
        "arrays",
        "array.html#array_join",
        "array_join(ARRAY['a', NULL, 'c'], ',')",
        value("a,c", "varchar"),
    ),
    ("arrays", "array.html#subscript-operator", "ARRAY[1, 1.2, 4][2]", refused()),
    ("arrays", "array.html#sequence", "sequence(5, 1)", refused()),
    ("arrays", "array.html#element_at", "element_at(ARRAY[1], 5)", refused()),
    # -- JSON ------------------------------------------------------------------------------
    (
        "json",
        "json.html#json_extract_scalar",
        "json_extract_scalar('{\"a\": [1]}', '$.a')",
        refused(),
    ),
    # -- aggregates -------------------------------------------------------------------------
    ("aggregates", "aggregate.html#count_if", "count_if(false)", value("0", "bigint")),
    ("aggregates", "aggregate.html#count", "count(NULL)", value("0", "bigint")),
    ("aggregates", "aggregate.html#sum", "sum(CAST(NULL AS integer))", value(None, "bigint")),
    # -- the emulation's own guards ---------------------------------------------------------
    ("guards", "conversion.html#typeof", "typeof(1)", refused()),
]


@pytest.fixture(scope="module")
def athena(tmp_path_factory) -> LocalAthena:
    lake: Path = tmp_path_factory.mktemp("conformance")
    bootstrap(lake)
    return LocalAthena(lake)


def _ask(athena: LocalAthena, expression: str) -> tuple[str, str | None, str | None]:
    started = athena.start_query_execution(
        QueryString=f"select {expression} as x", QueryExecutionContext={"Database": "gold"}
    )
    execution = athena.get_query_execution(QueryExecutionId=started["QueryExecutionId"])
    status = execution["QueryExecution"]["Status"]
    if status["State"] == "FAILED":
        code = status["StateChangeReason"].split(":", 1)[0]
        if code in ("NOT_SUPPORTED", "FUNCTION_NOT_FOUND"):
            return (REFUSED, REFUSED, None)
        return ("error", code, None)
    results = athena.get_query_results(QueryExecutionId=started["QueryExecutionId"])
    column = results["ResultSet"]["ResultSetMetadata"]["ColumnInfo"][0]
    type_ = column["Type"]
    if type_ == "decimal":
        type_ = f"decimal({column['Precision']},{column['Scale']})"
    cell = results["ResultSet"]["Rows"][1]["Data"][0]
    return ("value", cell.get("VarCharValue"), type_)


@pytest.mark.parametrize(
    ("category", "page", "expression", "expected"),
    CASES,
    ids=[f"{c}:{e}" for c, _, e, _ in CASES],
)
def test_the_local_engine_answers_as_trino_documents_or_refuses(
    athena: LocalAthena, category: str, page: str, expression: str, expected: tuple
) -> None:
    got = _ask(athena, expression)
    kind, text, type_ = expected
    if kind == "value" and type_ is None:
        got = (got[0], got[1], None)
    assert got == expected, f"{DOCS}{page}"


def test_size_of_the_conformance_suite_per_category(capsys) -> None:
    """Prints the suite's size per category and how many cases are refused locally."""
    per_category = Counter(c for c, *_ in CASES)
    refused_count = sum(1 for *_, e in CASES if e[0] == REFUSED)
    with capsys.disabled():
        print(
            "\nTrino conformance cases: "
            + ", ".join(f"{c}={n}" for c, n in sorted(per_category.items()))
            + f"; total={len(CASES)}, refused={refused_count}"
        )
    assert len(CASES) == sum(per_category.values())
