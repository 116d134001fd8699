"""The local Athena against the Trino documentation: every example of the trino.io
pages listed in ``trino_doc_examples`` (arithmetic and decimals, casts, NULLs and
comparisons, strings, regular expressions, date/time and zones, arrays and UNNEST, maps,
JSON, aggregates, window functions, grouping sets), plus every function ``sql/`` uses.

An example marked emulated must give the page's value, NULL-ness, column type (when the
page gives it) or error code; an example marked refused must fail loudly, naming what
is not emulated (NOT_SUPPORTED or FUNCTION_NOT_FOUND), never answer; the few examples in
Trino syntax sqlglot cannot parse must fail with SYNTAX_ERROR. So a refused
example that starts answering fails here too: check its answer against the page, then
mark it emulated. Expected values come from the pages, never from running our engine.
The examples, their status and type all live in ``trino_doc_examples``; this module
only runs them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lakehouse.local.athena import LocalAthena
from lakehouse.local.catalog import bootstrap
from tests.unit.local.trino_doc_examples import (
    DOCS,
    EMULATED,
    EXAMPLES,
    REFUSED,
    UNPARSED,
    Example,
    Fails,
)

SQL_DIR = Path(__file__).resolve().parents[3] / "sql"
LOUD = ("NOT_SUPPORTED", "FUNCTION_NOT_FOUND")


@pytest.fixture(scope="module")
def athena(tmp_path_factory) -> LocalAthena:
    lake: Path = tmp_path_factory.mktemp("conformance")
    bootstrap(lake)
    return LocalAthena(lake)


def _ask(athena: LocalAthena, example: Example):
    """("failed", code) | ("value", text, type) | ("rows", sorted rows)."""
    sql = example.sql if example.is_query else f"select {example.sql} as x"
    started = athena.start_query_execution(
        QueryString=sql, QueryExecutionContext={"Database": "gold"}
    )
    execution = athena.get_query_execution(QueryExecutionId=started["QueryExecutionId"])
    status = execution["QueryExecution"]["Status"]
    if status["State"] == "FAILED":
        return ("failed", status["StateChangeReason"].split(":", 1)[0])
    results = athena.get_query_results(QueryExecutionId=started["QueryExecutionId"])
    rows = [tuple(d.get("VarCharValue") for d in r["Data"]) for r in results["ResultSet"]["Rows"]]
    if example.is_query:
        return ("rows", sorted(rows[1:], key=repr))
    column = results["ResultSet"]["ResultSetMetadata"]["ColumnInfo"][0]
    type_ = column["Type"]
    if type_ == "decimal":
        type_ = f"decimal({column['Precision']},{column['Scale']})"
    return ("value", rows[1][0], type_)


def _expected(example: Example):
    if isinstance(example.doc, Fails):
        return ("failed", example.doc.code)
    if example.is_query:
        return ("rows", sorted(example.doc, key=repr))
    return ("value", example.doc, example.type_)


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[f"{e.category}:{e.local}:{e.sql[:60]}" for e in EXAMPLES]
)
def test_the_local_engine_answers_as_trino_documents_or_refuses(
    athena: LocalAthena, example: Example
) -> None:
    got = _ask(athena, example)
    where = f"{DOCS}{example.page}"
    if example.local == UNPARSED:
        assert got == ("failed", "SYNTAX_ERROR"), f"{where}: parsed now; refuse or emulate it"
        return
    if example.local == REFUSED:
        assert got[0] == "failed" and got[1] in LOUD, (
            f"{where}: refused locally, but answered {got}; if it equals the page's "
            f"{example.doc!r}, mark the example emulated"
        )
        return
    expected = _expected(example)
    if expected[0] == "value" and example.type_ is None:
        got = got[:2] if got[0] == "value" else got
        expected = expected[:2]
    assert got == expected, where


def test_every_function_sql_uses_has_a_documented_example() -> None:
    """The functions the checks and analytics queries call are all covered above."""
    import re

    called = set()
    for path in SQL_DIR.rglob("*.sql"):
        text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        text = re.sub(r"'(?:[^']|'')*'", "''", text)  # string literals are not calls
        called |= {m.lower() for m in re.findall(r"\b([a-z_][a-z0-9_]*)\s*\(", text, re.I)}
        # WITH names (column lists): `files (entity, name) as (`
        called -= {m.lower() for m in re.findall(r"\b(\w+)\s*\([^()]*\)\s+as\s*\(", text, re.I)}
    keywords = {"as", "in", "over", "filter", "values", "exists", "cast", "and", "or", "not"}
    keywords |= {"select", "from", "where", "join", "on", "using", "when", "then", "else"}
    keywords |= {"decimal", "varchar", "char", "timestamp"}  # types with parameters
    emulated = " ".join(e.sql.lower() for e in EXAMPLES if e.local == EMULATED)
    missing = sorted(f for f in called - keywords if f"{f}(" not in emulated)
    assert missing == []


def test_size_of_the_conformance_suite_per_category(figure) -> None:
    """Prints the suite's size per category and how many examples are refused locally."""
    per_category = Counter(e.category for e in EXAMPLES)
    refused = Counter(e.category for e in EXAMPLES if e.local != EMULATED)
    figure(
        "Trino conformance examples: "
        + ", ".join(f"{c}={n} ({refused[c]} refused)" for c, n in sorted(per_category.items()))
        + f"; total={len(EXAMPLES)}, refused={sum(refused.values())}"
        + f" (of which {sum(e.local == UNPARSED for e in EXAMPLES)} fail to parse)"
    )
    assert len(EXAMPLES) == sum(per_category.values())
    assert all(e.local in (EMULATED, REFUSED, UNPARSED) for e in EXAMPLES)
