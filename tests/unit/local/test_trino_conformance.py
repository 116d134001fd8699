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
The examples added since, and the ones moved from refused to emulated, are listed here
(``NOW_EMULATED``, ``MORE_EXAMPLES``) until they are folded into ``trino_doc_examples``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from lakehouse.local.athena import LocalAthena
from lakehouse.local.catalog import bootstrap
from tests.unit.local.trino_doc_examples import (
    DOCS,
    EMULATED,
    REFUSED,
    SHIPPING,
    UNPARSED,
    E,
    Example,
    Fails,
    R,
    U,
)
from tests.unit.local.trino_doc_examples import EXAMPLES as LISTED_EXAMPLES

SQL_DIR = Path(__file__).resolve().parents[3] / "sql"
LOUD = ("NOT_SUPPORTED", "FUNCTION_NOT_FOUND")

A, MP, S = "functions/array.html", "functions/map.html", "functions/string.html"
M = "functions/math.html"
J = "functions/json.html"
# Examples ``trino_doc_examples`` lists as refused that the local engine now answers as
# the page does (athena_trino._str_position, _subscript, _json_extract_scalar, _sign,
# _from_iso8601_date, _listagg, _min_max_by), with the type the page gives (sign:
# "[same as input]").
NOW_EMULATED = {
    "strpos('abcab', 'b', 2)": "bigint",
    "sign(-3)": "integer",
    "from_iso8601_date('2020-05-11')": "date",
    "from_iso8601_date('2020-W10')": "date",
    "from_iso8601_date('2020-123')": "date",
    "SELECT listagg(value, ',') WITHIN GROUP (ORDER BY value) csv_value FROM (VALUES 'a', 'c', 'b') t(value)": None,
    "SELECT id, listagg(value, ',') WITHIN GROUP (ORDER BY o) csv_value FROM (VALUES (100, 1, 'a'), (200, 3, 'c'), (200, 2, 'b')) t(id, o, value) GROUP BY id ORDER BY id": None,
    "SELECT max_by(x, y) FROM (VALUES ('a', 1), ('b', 2)) AS t(x, y)": None,
    "ARRAY[1, 1.2, 4][2]": None,
    "element_at(ARRAY[1], 5)": None,
    "MAP(ARRAY['key1', 'key2', 'key3'], ARRAY['v1', 'v2', 'v3'])['key2']": "varchar",
    "element_at(MAP(ARRAY['a'], ARRAY[1]), 'b')": None,
    "json_extract_scalar('[1, 2, 3]', '$[2]')": "varchar",
    "json_extract_scalar('{\"a\": [1]}', '$.a')": "varchar",
    # typeof and format return varchar (athena_typeof, athena_format)
    "typeof(123)": "varchar",
    "typeof('cat')": "varchar",
    "format('%s%%', 123)": "varchar",
    "format('%03d', 8)": "varchar",
    "format('%,.2f', 1234567.89)": "varchar",
    "format('%-7s,%7s', 'hello', 'world')": "varchar",
    "format('%2$s %3$s %1$s', 'a', 'b', 'c')": "varchar",
}
# More examples from the pages (each applies a sentence of the page cited to a small
# input): sign, strpos with an instance, the subscript operator, element_at and
# json_extract_scalar. The error code of a failing subscript is Trino's
# (ArraySubscriptOperator, MapSubscriptOperator: INVALID_FUNCTION_ARGUMENT); that it
# fails is the page's.
# fmt: off
MORE_EXAMPLES = [
    # sign(x) -> [same as input]: "0 if the argument is 0, 1 if the argument is greater
    # than 0, -1 if the argument is less than 0"
    E("arithmetic", f"{M}#sign", "sign(0)", "0", "integer"),
    E("arithmetic", f"{M}#sign", "sign(BIGINT '42')", "1", "bigint"),
    E("arithmetic", f"{M}#sign", "sign(SMALLINT '-7')", "-1", "smallint"),
    # "When instance is a negative number the search will start from the end of string.
    # Positions start with 1. If not found, 0 is returned."
    E("strings", f"{S}#strpos", "strpos('abcab', 'b', -1)", "5", "bigint"),
    E("strings", f"{S}#strpos", "strpos('abcab', 'b', -2)", "2", "bigint"),
    E("strings", f"{S}#strpos", "strpos('abcab', 'b', 3)", "0", "bigint"),
    E("strings", f"{S}#strpos", "strpos('abcab', 'b', -3)", "0", "bigint"),
    E("strings", f"{S}#strpos", "strpos('abcab', 'ab', 1)", "1", "bigint"),
    # "The [] operator is used to access an element of an array and is indexed starting
    # from one"; element_at "returns NULL when accessing an index larger than array
    # length, whereas the subscript operator would fail in such a case. If index < 0,
    # element_at accesses elements from the last to the first."
    E("arrays", f"{A}#subscript-operator", "ARRAY['foo', 'bar', 'bazz'][1]", "foo", "varchar"),
    E("arrays", f"{A}#subscript-operator", "ARRAY[1, 2, NULL, -4, NULL][3]", None, "integer"),
    E("arrays", f"{A}#element_at", "ARRAY[1][5]", Fails("INVALID_FUNCTION_ARGUMENT")),
    E("arrays", f"{A}#element_at", "element_at(ARRAY[1, 2, 4], 3)", "4", "integer"),
    E("arrays", f"{A}#element_at", "element_at(ARRAY[1, 2, 4], -1)", "4", "integer"),
    E("arrays", f"{A}#element_at", "element_at(ARRAY[1, 2, 4], -3)", "1", "integer"),
    E("arrays", f"{A}#element_at", "element_at(ARRAY[1, 2, 4], -4)", None, "integer"),
    E("arrays", f"{A}#array_first", "ARRAY[][1]", Fails("INVALID_FUNCTION_ARGUMENT")),
    # "This operator throws an error if the key is not contained in the map. See also
    # element_at function that returns NULL in such case."
    E("maps", f"{MP}#subscript-operator", "MAP(ARRAY['key1'], ARRAY['v1'])['key2']", Fails("INVALID_FUNCTION_ARGUMENT")),
    E("maps", f"{MP}#subscript-operator", "map(ARRAY[1, 3], ARRAY[2, 4])[3]", "4", "integer"),
    E("maps", f"{MP}#element_at", "element_at(MAP(ARRAY['key1', 'key2'], ARRAY['v1', 'v2']), 'key2')", "v2", "varchar"),
    # json_extract_scalar -> varchar: "The value referenced by json_path must be a scalar
    # (boolean, number or string)"; the page's '$.store.book[0].author' and json_size's
    # documents
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"store\": {\"book\": [{\"author\": \"Nigel Rees\"}]}}', '$.store.book[0].author')", "Nigel Rees", "varchar"),
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"x\": {\"a\": 1, \"b\": 2}}', '$.x.a')", "1", "varchar"),
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"x\": {\"a\": 1, \"b\": 2}}', '$.x')", None, "varchar"),
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"x\": [1, 2, 3]}', '$.x')", None, "varchar"),
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"x\": true}', '$.x')", "true", "varchar"),
]
# fmt: on


def _rows_on(page: str) -> list[tuple]:
    return next(e.doc for e in LISTED_EXAMPLES if e.page == page)


SEL = "sql/select.html"
# The SELECT page's equivalent forms of its grouping examples: "is equivalent to", "can be
# rewritten as", "logically equivalent to a UNION ALL"; the rows are the page's table.
EQUIVALENT_GROUPINGS = [
    (
        f"{SEL}#grouping-sets",
        f"WITH {SHIPPING} SELECT origin_state, NULL, NULL, sum(package_weight) FROM shipping "
        "GROUP BY origin_state UNION ALL SELECT origin_state, origin_zip, NULL, "
        "sum(package_weight) FROM shipping GROUP BY origin_state, origin_zip UNION ALL "
        "SELECT NULL, NULL, destination_state, sum(package_weight) FROM shipping "
        "GROUP BY destination_state",
    ),
    (
        f"{SEL}#cube",
        f"WITH {SHIPPING} SELECT origin_state, destination_state, sum(package_weight) "
        "FROM shipping GROUP BY GROUPING SETS ((origin_state, destination_state), "
        "(origin_state), (destination_state), ())",
    ),
    (
        f"{SEL}#rollup",
        f"WITH {SHIPPING} SELECT origin_state, origin_zip, sum(package_weight) FROM shipping "
        "GROUP BY GROUPING SETS ((origin_state, origin_zip), (origin_state), ())",
    ),
    (
        f"{SEL}#combining-multiple-grouping-expressions",
        f"WITH {SHIPPING} SELECT origin_state, destination_state, origin_zip, "
        "sum(package_weight) FROM shipping GROUP BY "
        "GROUPING SETS ((origin_state, destination_state)), GROUPING SETS ((origin_zip), ())",
    ),
    (
        f"{SEL}#combining-multiple-grouping-expressions",
        f"WITH {SHIPPING} SELECT origin_state, destination_state, origin_zip, "
        "sum(package_weight) FROM shipping GROUP BY GROUPING SETS "
        "((origin_state, destination_state, origin_zip), (origin_state, destination_state))",
    ),
]
MORE_EXAMPLES += [E("grouping", page, sql, _rows_on(page)) for page, sql in EQUIVALENT_GROUPINGS]
AG = "functions/aggregate.html"
# The aggregate page's listagg examples ("If separator is not specified, the empty string
# will be used"); the last uses digit separators (10_000_000), which sqlglot cannot parse.
MORE_EXAMPLES += [
    E(
        "aggregates",
        f"{AG}#listagg",
        "SELECT listagg(value, ',' ON OVERFLOW ERROR) WITHIN GROUP (ORDER BY value) csv_value "
        "FROM (VALUES 'a', 'b', 'c') t(value)",
        [("a,b,c",)],
    ),
    E(
        "aggregates",
        f"{AG}#listagg",
        "SELECT listagg(value) WITHIN GROUP (ORDER BY value) FROM (VALUES 'a', 'c', 'b') t(value)",
        [("abc",)],
    ),
    # "Returns the value of x associated with the minimum value of y over all input values"
    E(
        "aggregates",
        f"{AG}#min_by",
        "SELECT min_by(x, y) FROM (VALUES ('a', 2), ('b', 1), ('c', 3)) AS t(x, y)",
        [("b",)],
    ),
    U(
        "aggregates",
        f"{AG}#listagg",
        "SELECT country, listagg(city, ',') WITHIN GROUP (ORDER BY population DESC) "
        "FILTER (WHERE population >= 10_000_000) megacities FROM (VALUES "
        "('India', 'Bangalore', 13_700_000), ('India', 'Chennai', 12_200_000), "
        "('India', 'Ranchi', 1_547_000), ('Austria', 'Vienna', 1_897_000), "
        "('Poland', 'Warsaw', 1_765_000)) t(country, city, population) "
        "GROUP BY country ORDER BY country",
        [("Austria", None), ("India", "Bangalore,Chennai"), ("Poland", None)],
    ),
    R(
        "aggregates",
        f"{AG}#listagg",
        "SELECT listagg(value, ',' ON OVERFLOW TRUNCATE '.....' WITH COUNT) WITHIN GROUP "
        "(ORDER BY value) FROM (VALUES 'a', 'b', 'c') t(value)",
        [("a,b,c",)],
    ),
]
W = "functions/window.html"
# The window page's rules on small inputs: "Offsets start at 0, which is the current
# row"; IGNORE NULLS excludes the rows where x is null, "if x is null for all rows ...
# null is returned"; last_value over the default frame, which "contains all rows from
# the start of the partition up to the last peer of the current row" (select page);
# ntile's remainder "distributed one per bucket, starting with the first bucket".
MORE_EXAMPLES += [
    E(
        "window",
        f"{W}#lag",
        "SELECT v, lag(v, 0) OVER (ORDER BY v), lead(v, 0) OVER (ORDER BY v) "
        "FROM (VALUES 1, 2) AS t(v)",
        [("1", "1", "1"), ("2", "2", "2")],
    ),
    E(
        "window",
        f"{W}#value-functions",
        "SELECT k, first_value(v) IGNORE NULLS OVER (ORDER BY k) "
        "FROM (VALUES (1, NULL), (2, 5), (3, 7)) AS t(k, v)",
        [("1", None), ("2", "5"), ("3", "5")],
    ),
    E(
        "window",
        f"{W}#last_value",
        "SELECT v, last_value(v) OVER (ORDER BY v) FROM (VALUES 1, 2, 2, 3) AS t(v)",
        [("1", "1"), ("2", "2"), ("2", "2"), ("3", "3")],
    ),
    # nth_value: "Offsets start at 1 ... If the offset is null or greater than the number
    # of values in the window, null is returned"
    E(
        "window",
        f"{W}#nth_value",
        "SELECT v, nth_value(v, 2) OVER (ORDER BY v) FROM (VALUES 1, 2, 3) AS t(v)",
        [("1", None), ("2", "2"), ("3", "2")],
    ),
    E(
        "window",
        f"{W}#nth_value",
        "SELECT k, nth_value(v, 2) IGNORE NULLS OVER (ORDER BY k) "
        "FROM (VALUES (1, NULL), (2, 5), (3, NULL), (4, 7)) AS t(k, v)",
        [("1", None), ("2", None), ("3", None), ("4", "7")],
    ),
    E(
        "window",
        f"{W}#ntile",
        "SELECT v, ntile(3) OVER (ORDER BY v) FROM (VALUES 1, 2, 3, 4, 5) AS t(v)",
        [("1", "1"), ("2", "1"), ("3", "2"), ("4", "2"), ("5", "3")],
    ),
]
# fmt: off
CV = "functions/conversion.html"
# typeof: the cases of Trino's TestTypeOfFunction (core/trino-main, operator/scalar), the
# page's "Returns the name of the type of the provided expression" applied to them; those
# whose type the local engine cannot know exactly (a varchar of unknown bound, functions
# it does not emulate, a bare DECIMAL) or that it refuses (casts to varchar(n)) stay
# refused. Plus the language/types.html rules: an integer literal beyond 2^31 - 1 is a
# bigint, a number with a point is decimal(p,s), an exponent makes a double, a timestamp
# literal has the precision of its fraction digits, NULL is unknown.
MORE_EXAMPLES += [
    E("casts", f"{CV}#typeof", "typeof(CAST(1 AS BIGINT))", "bigint", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(CAST(1 AS INTEGER))", "integer", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(CAST(1 AS VARCHAR))", "varchar", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(CAST(1 AS DOUBLE))", "double", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(NULL)", "unknown", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(CAST(NULL AS DECIMAL(5,1)))", "decimal(5,1)", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(CAST(NULL AS DECIMAL(1)))", "decimal(1,0)", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(CAST(NULL AS ARRAY(INTEGER)))", "array(integer)", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(CAST(NULL AS ARRAY(DECIMAL(5,1))))", "array(decimal(5,1))", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(CAST(NULL AS ARRAY(ARRAY(ARRAY(INTEGER)))))", "array(array(array(integer)))", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(CAST(NULL AS ARRAY(ARRAY(ARRAY(DECIMAL(5,1))))))", "array(array(array(decimal(5,1))))", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(ARRAY [CAST(1 AS INTEGER),CAST(2 AS INTEGER),CAST(3 AS INTEGER)])", "array(integer)", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(3000000000)", "bigint", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(1.5)", "decimal(2,1)", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(1E0)", "double", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(TIMESTAMP '2020-06-10 15:55:23.383')", "timestamp(3)", "varchar"),
    E("casts", f"{CV}#typeof", "typeof(DATE '2020-06-10')", "date", "varchar"),
    R("casts", f"{CV}#typeof", "typeof(CAST(NULL AS VARCHAR(10)))", "varchar(10)"),
    R("casts", f"{CV}#typeof", "typeof(CAST(NULL AS DECIMAL))", "decimal(38,0)"),
    R("casts", f"{CV}#typeof", "typeof(CONCAT('ala','ma','kota'))", "varchar"),
    R("casts", f"{CV}#typeof", "typeof(sin(2))", "double"),
    R("casts", f"{CV}#typeof", "typeof(2+sin(2)+2.3)", "double"),
]
# format: the cases of Trino's TestFormatFunction with the specifiers emulated (%s, %d,
# %f of integers, varchars, booleans, NULL and decimals; explicit indexes; widths, the
# flags - 0 ,); the format strings Java rejects fail with INVALID_FUNCTION_ARGUMENT
# ("Invalid format string: ..."); %b, %S, %x, %<s, %t..., %n and doubles (pi()) stay
# refused. The last two apply the page's Java Formatter syntax (sign before the zeros,
# BigDecimal rounded half up).
MORE_EXAMPLES += [
    E("casts", f"{CV}#format", "format('%s %s %s', true, false, null)", "true false null", "varchar"),
    E("casts", f"{CV}#format", "format('%4$s %3$s %2$s %1$s %4$s %3$s %2$s %1$s', 'a', 'b', 'c', 'd')", "d c b a d c b a", "varchar"),
    E("casts", f"{CV}#format", "format('%2$s %3$s %1$s', 'a', 'b', 'c', 'd')", "b c a", "varchar"),
    E("casts", f"{CV}#format", "format('%s %s', 2, 3, 4)", "2 3", "varchar"),
    E("casts", f"{CV}#format", "format('%d', tinyint '123')", "123", "varchar"),
    E("casts", f"{CV}#format", "format('%d', smallint '32123')", "32123", "varchar"),
    E("casts", f"{CV}#format", "format('%d', 1234567890)", "1234567890", "varchar"),
    E("casts", f"{CV}#format", "format('%d', 1234567890123)", "1234567890123", "varchar"),
    E("casts", f"{CV}#format", "format('%1$s %1$f %1$.2f', decimal '9.12345678')", "9.12345678 9.123457 9.12", "varchar"),
    E("casts", f"{CV}#format", "format('%.4d', 8)", Fails("INVALID_FUNCTION_ARGUMENT")),
    E("casts", f"{CV}#format", "format('%-02d', 8)", Fails("INVALID_FUNCTION_ARGUMENT")),
    E("casts", f"{CV}#format", "format('%--2d', 8)", Fails("INVALID_FUNCTION_ARGUMENT")),
    E("casts", f"{CV}#format", "format('%+s', 8)", Fails("INVALID_FUNCTION_ARGUMENT")),
    E("casts", f"{CV}#format", "format('%-s', 8)", Fails("INVALID_FUNCTION_ARGUMENT")),
    E("casts", f"{CV}#format", "format('%s %d', 8)", Fails("INVALID_FUNCTION_ARGUMENT")),
    R("casts", f"{CV}#format", "format('%.4f', pi())", "3.1416"),
    R("casts", f"{CV}#format", "format('%b %B %b', true, false, null)", "true FALSE false"),
    R("casts", f"{CV}#format", "format('%S %S %S', true, false, null)", "TRUE FALSE NULL"),
    R("casts", f"{CV}#format", "format('%s %s %<s %<s', 'a', 'b', 'c', 'd')", "a b b b"),
    R("casts", f"{CV}#format", "format('%1$d %1$x %1$X %1$o', 1234)", "1234 4d2 4D2 2322"),
    R("casts", f"{CV}#format", "format('%1$s %1$tF %1$tY-%1$tm-%1$td', date '2001-08-22')", "2001-08-22 2001-08-22 2001-08-22"),
    R("casts", f"{CV}#format", "format('%5n', 8)", Fails("INVALID_FUNCTION_ARGUMENT")),
    R("casts", f"{CV}#format", "format('%d', decimal '8')", Fails("INVALID_FUNCTION_ARGUMENT")),
    E("casts", f"{CV}#format", "format('%05d', -42)", "-0042", "varchar"),
    E("casts", f"{CV}#format", "format('%.2f', -0.004)", "-0.00", "varchar"),
]
# fmt: on
EXAMPLES = [
    replace(e, local=EMULATED, type_=NOW_EMULATED[e.sql]) if e.sql in NOW_EMULATED else e
    for e in LISTED_EXAMPLES
] + MORE_EXAMPLES


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
