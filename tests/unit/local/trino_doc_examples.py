"""The examples of the Trino documentation, as data: each is an expression or a query
from a trino.io page with the value, rows or error that page gives for it.

Values are written as Athena's GetQueryResults hands them out (``VarCharValue`` text,
None for NULL): the docs' display forms are the same values (``'abcd'`` is ``abcd``,
``{1 -> 2}`` is ``{1=2}``, ``[1, 2]`` stays ``[1, 2]``). Expected values come from the
pages cited, never from running our engine: most are the pages' own examples verbatim;
the others apply a rule the page states (a function's signature type, "returns null if
any argument is null", "ranges from 1 (Monday) to 7 (Sunday)", the ntile bucket
sentence) to a small input. ``local`` says what the local Athena does
with the example: answer it exactly (``EMULATED``) or refuse it loudly (``REFUSED``:
NOT_SUPPORTED / FUNCTION_NOT_FOUND naming the construct). An example whose doc answer is
an error (``Fails``) must fail with that error code locally too.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCS = "https://trino.io/docs/current/"
EMULATED = "emulated"
REFUSED = "refused"
# Trino syntax sqlglot cannot parse (SQL/JSON clauses such as NULL ON NULL, a simple CASE
# with predicate fragments): the query fails loudly with SYNTAX_ERROR, though Trino
# accepts it.
UNPARSED = "unparsed"


@dataclass(frozen=True)
class Fails:
    """The doc says the query fails with this Trino error code."""

    code: str


@dataclass(frozen=True)
class Example:
    category: str
    page: str  # path#anchor under DOCS
    sql: str  # an expression (asked as ``SELECT <sql> AS x``) or a whole query
    doc: object  # value text, None (NULL), Fails, or rows (list of tuples) for a query
    type_: str | None = None  # the column type Athena reports, when the page gives it
    local: str = EMULATED

    @property
    def is_query(self) -> bool:
        return self.sql.lstrip().lower().startswith(("select ", "with "))


def E(category, page, sql, doc, type_=None):  # noqa: N802 - reads as a table row
    return Example(category, page, sql, doc, type_, EMULATED)


def R(category, page, sql, doc, type_=None):  # noqa: N802
    return Example(category, page, sql, doc, type_, REFUSED)


def U(category, page, sql, doc, type_=None):  # noqa: N802
    return Example(category, page, sql, doc, type_, UNPARSED)


# The shipping table of the SELECT page's grouping examples and the TRY examples.
SHIPPING = """shipping (origin_state, origin_zip, destination_state, destination_zip, package_weight) AS (
  VALUES ('California', 94131, 'New Jersey', 8648, 13), ('California', 94131, 'New Jersey', 8540, 42),
         ('New Jersey', 7081, 'Connecticut', 6708, 225), ('California', 90210, 'Connecticut', 6927, 1337),
         ('California', 94131, 'Colorado', 80302, 5), ('New York', 10002, 'New Jersey', 8540, 3))"""
# The customers table of the JSON page's json_exists / json_query / json_value examples.
JSON_CUSTOMERS = """customers (id, description) AS (
  VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
         (102, '{"comment" : "problematic", "children" : [8, 11]}'),
         (103, '{"comment" : "knows best", "children" : [2]}'))"""
TRY_SHIPPING = """shipping (origin_state, origin_zip, packages, total_cost) AS (
  VALUES ('California', '94131', 25, 100), ('California', 'P332a', 5, 72),
         ('California', '94025', 0, 155), ('New Jersey', '08544', 225, 490))"""

# TPC-H's region and nation tables (tpch connector), which the comparison and string pages
# query: the region keys and names, the 25 nation names.
REGION = """region (regionkey, name) AS (
  VALUES (0, 'AFRICA'), (1, 'AMERICA'), (2, 'ASIA'), (3, 'EUROPE'), (4, 'MIDDLE EAST'))"""
NATION = """nation (name) AS (
  VALUES 'ALGERIA', 'ARGENTINA', 'BRAZIL', 'CANADA', 'EGYPT', 'ETHIOPIA', 'FRANCE', 'GERMANY',
         'INDIA', 'INDONESIA', 'IRAN', 'IRAQ', 'JAPAN', 'JORDAN', 'KENYA', 'MOROCCO', 'MOZAMBIQUE',
         'PERU', 'CHINA', 'ROMANIA', 'SAUDI ARABIA', 'VIETNAM', 'RUSSIA', 'UNITED KINGDOM',
         'UNITED STATES')"""

D, M, S, RX, DT = (
    "functions/decimal.html",
    "functions/math.html",
    "functions/string.html",
    "functions/regexp.html",
    "functions/datetime.html",
)
A, MP, J, AG, W = (
    "functions/array.html",
    "functions/map.html",
    "functions/json.html",
    "functions/aggregate.html",
    "functions/window.html",
)
CV, CO, CM, SEL, TY = (
    "functions/conversion.html",
    "functions/conditional.html",
    "functions/comparison.html",
    "sql/select.html",
    "language/types.html",
)

EXAMPLES = [
    # -- decimals (functions/decimal.html, language/types.html#decimal) ---------------------
    E("decimals", f"{D}#decimal-literals", "DECIMAL '0'", "0", "decimal(1,0)"),
    E("decimals", f"{D}#decimal-literals", "DECIMAL '12345'", "12345", "decimal(5,0)"),
    E("decimals", f"{D}#decimal-literals", "DECIMAL '0000012345.1234500000'", "12345.1234500000", "decimal(20,10)"),
    E("decimals", f"{D}#decimal-literals", "DECIMAL '-12.5'", "-12.5", "decimal(3,1)"),
    # result types by the page's table: x + y is decimal(min(38, 1 + max(xs, ys) +
    # max(xp - xs, yp - ys)), max(xs, ys)); x * y is decimal(min(38, xp + yp), xs + ys)
    E("decimals", f"{D}#binary-arithmetic-decimal-operators", "DECIMAL '1.5' + DECIMAL '2.25'", "3.75", "decimal(4,2)"),
    E("decimals", f"{D}#binary-arithmetic-decimal-operators", "DECIMAL '1.5' - DECIMAL '2.25'", "-0.75", "decimal(4,2)"),
    E("decimals", f"{D}#binary-arithmetic-decimal-operators", "DECIMAL '1.5' * DECIMAL '2.25'", "3.375", "decimal(5,3)"),
    # "not exactly representable with the precision and scale of the result: Value is out of range"
    E("decimals", f"{D}#binary-arithmetic-decimal-operators", "DECIMAL '99999999999999999999999999999999999999' + DECIMAL '1'", Fails("NUMERIC_VALUE_OUT_OF_RANGE")),
    # "The - operator performs negation. The type of result is same as type of argument."
    E("decimals", f"{D}#unary-decimal-operators", "-DECIMAL '12.50'", "-12.50", "decimal(4,2)"),
    R("decimals", f"{D}#binary-arithmetic-decimal-operators", "DECIMAL '9.0' / 5", "1.8"),
    R("decimals", f"{D}#binary-arithmetic-decimal-operators", "DECIMAL '9.0' % 5", "4.0"),
    R("decimals", f"{AG}#avg", "avg(DECIMAL '1.5')", "1.5"),
    E("decimals", f"{D}#comparison-operators", "DECIMAL '1.50' = DECIMAL '1.5'", "true", "boolean"),
    # language/types.html#exact-numeric-data-types: "Example literals: DECIMAL '10.3',
    # DECIMAL '1234567890', 1.1"; underscores are ignored ("123_456.789_123 is equivalent
    # to 123456.789123"); "000123.456 is equivalent to 123.456"
    E("decimals", f"{TY}#decimal", "DECIMAL '10.3'", "10.3", "decimal(3,1)"),
    E("decimals", f"{TY}#decimal", "DECIMAL '1234567890'", "1234567890", "decimal(10,0)"),
    E("decimals", f"{TY}#decimal", "1.1", "1.1", "decimal(2,1)"),
    E("decimals", f"{TY}#exact-numeric-data-types", "123_456.789_123", "123456.789123", "decimal(12,6)"),
    E("decimals", f"{TY}#exact-numeric-data-types", "000123.456", "123.456"),
    # -- arithmetic (functions/math.html) -------------------------------------------------
    E("arithmetic", f"{M}#mathematical-operators", "5 / 2", "2", "integer"),
    E("arithmetic", f"{M}#mathematical-operators", "-5 / 2", "-2", "integer"),
    E("arithmetic", f"{M}#mathematical-operators", "1 / 0", Fails("DIVISION_BY_ZERO")),
    E("arithmetic", f"{M}#mathematical-operators", "5 % 3", "2", "integer"),
    E("arithmetic", f"{M}#mathematical-operators", "1E0 / 0", "Infinity", "double"),
    E("arithmetic", f"{M}#abs", "abs(-5)", "5", "integer"),
    E("arithmetic", f"{M}#mod", "mod(5, 3)", "2", "integer"),
    E("arithmetic", f"{M}#mod", "mod(-5, 3)", "-2", "integer"),
    E("arithmetic", f"{M}#ceiling", "ceiling(DECIMAL '1.2')", "2"),
    E("arithmetic", f"{M}#floor", "floor(DECIMAL '-1.2')", "-2"),
    E("arithmetic", f"{M}#round", "round(DECIMAL '2.5')", "3"),
    E("arithmetic", f"{M}#round", "round(DECIMAL '1.2345', 2)", "1.2300"),
    R("arithmetic", f"{M}#truncate", "truncate(1.5)", "1.0"),
    E("arithmetic", f"{M}#sign", "sign(-3)", "-1", "integer"),
    R("arithmetic", f"{M}#cosine_similarity", "cosine_similarity(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])", "0.9838699100999074"),
    R("arithmetic", f"{M}#cosine_distance", "cosine_distance(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])", "0.01613008990009257"),
    R("arithmetic", f"{M}#cosine_similarity", "cosine_similarity(MAP(ARRAY['a'], ARRAY[1.0]), MAP(ARRAY['a'], ARRAY[2.0]))", "1.0"),
    R("arithmetic", f"{M}#cosine_distance", "cosine_distance(MAP(ARRAY['a'], ARRAY[1.0]), MAP(ARRAY['a'], ARRAY[2.0]))", "0.0"),
    # sign(x) -> [same as input]: "0 if the argument is 0, 1 if the argument is greater
    # than 0, -1 if the argument is less than 0"
    E("arithmetic", f"{M}#sign", "sign(0)", "0", "integer"),
    E("arithmetic", f"{M}#sign", "sign(BIGINT '42')", "1", "bigint"),
    E("arithmetic", f"{M}#sign", "sign(SMALLINT '-7')", "-1", "smallint"),
    # language/types.html#integer-data-types: "0x0A for decimal 10 or 0x11 for decimal 17",
    # "0o40 for decimal 32 or 0o11 for decimal 9", "0b1001 for decimal 9 or 0b101010 for
    # decimal 42"; floating point: "value 123_456.789e4 is equivalent to 123456.789e4";
    # "Example literals: REAL '10.3', REAL '10.3e0', REAL '1.03e1'" and "DOUBLE '10.3',
    # DOUBLE '1.03e1', 10.3e0, 1.03e1"
    E("arithmetic", f"{TY}#integer-data-types", "0x0A", "10", "integer"),
    E("arithmetic", f"{TY}#integer-data-types", "0x11", "17", "integer"),
    E("arithmetic", f"{TY}#integer-data-types", "0o40", "32", "integer"),
    E("arithmetic", f"{TY}#integer-data-types", "0o11", "9", "integer"),
    E("arithmetic", f"{TY}#integer-data-types", "0b1001", "9", "integer"),
    E("arithmetic", f"{TY}#integer-data-types", "0b101010", "42", "integer"),
    E("arithmetic", f"{TY}#floating-point-data-types", "123_456.789e4", "1.23456789E9", "double"),
    E("arithmetic", f"{TY}#real", "REAL '10.3'", "10.3", "real"),
    E("arithmetic", f"{TY}#real", "REAL '10.3e0'", "10.3", "real"),
    E("arithmetic", f"{TY}#real", "REAL '1.03e1'", "10.3", "real"),
    E("arithmetic", f"{TY}#double", "DOUBLE '10.3'", "10.3", "double"),
    E("arithmetic", f"{TY}#double", "DOUBLE '1.03e1'", "10.3", "double"),
    E("arithmetic", f"{TY}#double", "10.3e0", "10.3", "double"),
    E("arithmetic", f"{TY}#double", "1.03e1", "10.3", "double"),
    # -- casts (functions/conversion.html) ------------------------------------------------
    E("casts", f"{CV}#cast", "CAST('2023-01-01 01:01:01' AS date)", Fails("INVALID_CAST_ARGUMENT")),
    E("casts", f"{CV}#cast", "CAST('2023-01-01' AS date)", "2023-01-01", "date"),
    E("casts", f"{CV}#cast", "CAST('1.5' AS integer)", Fails("INVALID_CAST_ARGUMENT")),
    E("casts", f"{CV}#cast", "CAST('-12' AS bigint)", "-12", "bigint"),
    E("casts", f"{CV}#try-cast", "try_cast('1.5' AS integer)", None, "integer"),
    E("casts", f"{CV}#try-cast", "try_cast('2023-01-01 01:01:01' AS date)", None, "date"),
    E("casts", f"{CV}#cast", "CAST(DECIMAL '2.5' AS integer)", "3", "integer"),
    R("casts", f"{CV}#cast", "CAST(2.5E0 AS integer)", "3"),
    R("casts", f"{CV}#cast", "CAST(1.0E10 AS varchar)", "1.0E10"),
    E("casts", f"{CV}#typeof", "typeof(123)", "integer", "varchar"),
    E("casts", f"{CV}#typeof", "typeof('cat')", "varchar(3)", "varchar"),
    R("casts", f"{CV}#typeof", "typeof(cos(2) + 1.5)", "double"),
    E("casts", f"{CV}#format", "format('%s%%', 123)", "123%", "varchar"),
    R("casts", f"{CV}#format", "format('%.5f', pi())", "3.14159"),
    E("casts", f"{CV}#format", "format('%03d', 8)", "008", "varchar"),
    E("casts", f"{CV}#format", "format('%,.2f', 1234567.89)", "1,234,567.89", "varchar"),
    E("casts", f"{CV}#format", "format('%-7s,%7s', 'hello', 'world')", "hello  ,  world", "varchar"),
    E("casts", f"{CV}#format", "format('%2$s %3$s %1$s', 'a', 'b', 'c')", "b c a", "varchar"),
    R("casts", f"{CV}#format", "format('%1$tA, %1$tB %1$te, %1$tY', date '2006-07-04')", "Tuesday, July 4, 2006"),
    R("casts", f"{CV}#format_number", "format_number(123456)", "123K"),
    R("casts", f"{CV}#format_number", "format_number(1000000)", "1M"),
    # typeof: the cases of Trino's TestTypeOfFunction (core/trino-main, operator/scalar), the
    # page's "Returns the name of the type of the provided expression" applied to them; those
    # whose type the local engine cannot know exactly (a varchar of unknown bound, functions
    # it does not emulate, a bare DECIMAL) or that it refuses (casts to varchar(n)) stay
    # refused. Plus the language/types.html rules: an integer literal beyond 2^31 - 1 is a
    # bigint, a number with a point is decimal(p,s), an exponent makes a double, a timestamp
    # literal has the precision of its fraction digits, NULL is unknown.
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
    # format: the cases of Trino's TestFormatFunction with the specifiers emulated (%s, %d,
    # %f of integers, varchars, booleans, NULL and decimals; explicit indexes; widths, the
    # flags - 0 ,); the format strings Java rejects fail with INVALID_FUNCTION_ARGUMENT
    # ("Invalid format string: ..."); %b, %S, %x, %<s, %t..., %n and doubles (pi()) stay
    # refused. The last two apply the page's Java Formatter syntax (sign before the zeros,
    # BigDecimal rounded half up).
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
    # parse_data_size(string) -> decimal(38)
    R("casts", f"{CV}#parse_data_size", "parse_data_size('1B')", "1", "decimal(38,0)"),
    R("casts", f"{CV}#parse_data_size", "parse_data_size('1kB')", "1024", "decimal(38,0)"),
    R("casts", f"{CV}#parse_data_size", "parse_data_size('1MB')", "1048576", "decimal(38,0)"),
    R("casts", f"{CV}#parse_data_size", "parse_data_size('2.3MB')", "2411724", "decimal(38,0)"),
    # language/types.html#timestamp-p: "Casting to lower precision causes the value to be
    # rounded ... to higher precision appends zeros"
    R("casts", f"{TY}#timestamp-p", "typeof(TIMESTAMP '2020-06-10 15:55:23.383345')", "timestamp(6)", "varchar"),
    R("casts", f"{TY}#timestamp-p", "cast(TIMESTAMP '2020-06-10 15:55:23.383345' as TIMESTAMP(1))", "2020-06-10 15:55:23.4"),
    R("casts", f"{TY}#timestamp-p", "cast(TIMESTAMP '2020-06-10 15:55:23.383345' as TIMESTAMP(12))", "2020-06-10 15:55:23.383345000000"),
    # "casting dog to CHAR(7) adds 4 implicit trailing spaces"
    R("casts", f"{TY}#char", "CAST('dog' AS CHAR(7))", "dog    "),
    # -- NULLs, conditionals and comparisons ------------------------------------------------
    E("nulls", f"{CO}#coalesce-function", "coalesce(NULL, 2, 3)", "2", "integer"),
    E("nulls", f"{CO}#nullif-function", "nullif(1, 1)", None, "integer"),
    E("nulls", f"{CO}#nullif-function", "nullif(1, 2)", "1", "integer"),
    E("nulls", f"{CO}#if-expression", "if(NULL, 1, 0)", "0", "integer"),
    E("nulls", f"{CO}#if-expression", "if(1 > 0, 'yes')", "yes", "varchar"),
    E("nulls", f"{CO}#if-expression", "if(1 < 0, 'yes')", None, "varchar"),
    E("nulls", f"{CO}#case-expression", "CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END", "two"),
    E("nulls", f"{CO}#case-expression", "CASE 7 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END", "many"),
    E("nulls", f"{CO}#try-function", "try(1 / 0)", None),
    # the page's tables print the bigint 8544 as 08544 and 490 / 225 (integer division
    # "performs truncation", math.html) as 19: the values here are 8544 and 2
    E(
        "nulls",
        f"{CO}#examples",
        f"WITH {TRY_SHIPPING} SELECT TRY(CAST(origin_zip AS BIGINT)) FROM shipping",
        [("94131",), (None,), ("94025",), ("8544",)],
    ),
    E(
        "nulls",
        f"{CO}#examples",
        f"WITH {TRY_SHIPPING} SELECT CAST(origin_zip AS BIGINT) FROM shipping",
        Fails("INVALID_CAST_ARGUMENT"),
    ),
    E(
        "nulls",
        f"{CO}#examples",
        f"WITH {TRY_SHIPPING} SELECT total_cost / packages AS per_package FROM shipping",
        Fails("DIVISION_BY_ZERO"),
    ),
    E(
        "nulls",
        f"{CO}#examples",
        f"WITH {TRY_SHIPPING} SELECT COALESCE(TRY(total_cost / packages), 0) AS per_package FROM shipping",
        [("4",), ("14",), ("0",), ("2",)],
    ),
    E("nulls", f"{CM}#range-operator-between", "3 BETWEEN 2 AND 6", "true", "boolean"),
    E("nulls", f"{CM}#range-operator-between", "3 NOT BETWEEN 2 AND 6", "false", "boolean"),
    E("nulls", f"{CM}#range-operator-between", "NULL BETWEEN 2 AND 4", None),
    E("nulls", f"{CM}#range-operator-between", "2 BETWEEN NULL AND 6", None),
    E("nulls", f"{CM}#range-operator-between", "2 BETWEEN 3 AND NULL", "false"),
    E("nulls", f"{CM}#range-operator-between", "8 BETWEEN NULL AND 6", "false"),
    E("nulls", f"{CM}#range-operator-between", "'Paul' BETWEEN 'John' AND 'Ringo'", "true"),
    E("nulls", f"{CM}#is-null-and-is-not-null", "NULL IS NULL", "true", "boolean"),
    E("nulls", f"{CM}#is-null-and-is-not-null", "3.0 IS NULL", "false", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "NULL IS DISTINCT FROM NULL", "false"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "NULL IS NOT DISTINCT FROM NULL", "true"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 IS DISTINCT FROM NULL", "true"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 = NULL", None),
    E("nulls", f"{CM}#quantified-comparison-predicates-all-any-and-some", "'hello' = ANY (VALUES 'hello', 'world')", "true"),
    R("nulls", f"{CM}#quantified-comparison-predicates-all-any-and-some", "21 < ALL (VALUES 19, 20, 21)", "false"),
    E(
        "nulls",
        f"{CM}#quantified-comparison-predicates-all-any-and-some",
        "42 >= SOME (SELECT 41 UNION ALL SELECT 42 UNION ALL SELECT 43)",
        "true",
    ),
    E("nulls", f"{CM}#greatest-and-least", "greatest(1, 3, 2)", "3"),
    E("nulls", f"{CM}#greatest-and-least", "greatest(1, NULL)", None),
    E("nulls", f"{CM}#greatest-and-least", "least('b', 'a', 'c')", "a"),
    E("nulls", f"{CM}#greatest-and-least", "least(1, NULL)", None),
    E(
        "nulls",
        f"{CM}#pattern-comparison-like",
        "SELECT * FROM (VALUES 'America', 'Asia', 'Africa', 'Europe', 'Australia', 'Antarctica') AS t (continent) WHERE continent LIKE 'E%'",
        [("Europe",)],
    ),
    E(
        "nulls",
        f"{CM}#pattern-comparison-like",
        "SELECT * FROM (VALUES 'America', 'Asia', 'Africa', 'Europe', 'Australia', 'Antarctica') AS t (continent) WHERE continent NOT LIKE 'E%'",
        [("America",), ("Asia",), ("Africa",), ("Australia",), ("Antarctica",)],
    ),
    # the page's third LIKE example ('A__A' giving Asia) contradicts its own "Matching
    # characters is case sensitive" ('Asia' ends in a lower-case a): left out
    E("nulls", f"{CM}#pattern-comparison-like", "'South_America' LIKE 'South\\_America' ESCAPE '\\'", "true"),
    # the page's equivalent forms of BETWEEN, its operator table (!=) and its truth table
    # of =, <>, IS DISTINCT FROM, IS NOT DISTINCT FROM (the cells not listed above)
    E("nulls", f"{CM}#range-operator-between", "3 >= 2 AND 3 <= 6", "true", "boolean"),
    E("nulls", f"{CM}#range-operator-between", "3 < 2 OR 3 > 6", "false", "boolean"),
    E("nulls", f"{CM}#comparison-operators", "1 != 2", "true", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 = 1", "true", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 <> 1", "false", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 IS DISTINCT FROM 1", "false", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 IS NOT DISTINCT FROM 1", "true", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 = 2", "false", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 <> 2", "true", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 IS DISTINCT FROM 2", "true", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 IS NOT DISTINCT FROM 2", "false", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 <> NULL", None, "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "1 IS NOT DISTINCT FROM NULL", "false", "boolean"),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "NULL = NULL", None),
    E("nulls", f"{CM}#is-distinct-from-and-is-not-distinct-from", "NULL <> NULL", None),
    # "Trino will produce an error if you ask it if John is between 2.3 and 35.2"
    E("nulls", f"{CM}#range-operator-between", "'John' BETWEEN 2.3 AND 35.2", Fails("TYPE_MISMATCH")),
    # the page's IN examples over TPC-H's region table (its five rows); the page's last IN
    # example (starts_with(regionkey, "A") with "A" an identifier) does not type: left out
    E("nulls", f"{CM}#row-comparison-in", f"WITH {REGION} SELECT * FROM region WHERE name IN ('AMERICA', 'EUROPE')", [("1", "AMERICA"), ("3", "EUROPE")]),
    E("nulls", f"{CM}#row-comparison-in", f"WITH {REGION} SELECT * FROM region WHERE name = 'AMERICA' OR name = 'EUROPE'", [("1", "AMERICA"), ("3", "EUROPE")]),
    E("nulls", f"{CM}#row-comparison-in", f"WITH {REGION} SELECT * FROM region WHERE name NOT IN ('AMERICA', 'EUROPE')", [("0", "AFRICA"), ("2", "ASIA"), ("4", "MIDDLE EAST")]),
    # conditional.html: the searched CASE and the simple CASE with predicate fragments
    # ("WHEN > 100 reads as when expression > 100"; "the first match wins"), on small inputs
    E(
        "nulls",
        f"{CO}#case-expression",
        "SELECT a, b, CASE WHEN a = 1 THEN 'aaa' WHEN b = 2 THEN 'bbb' ELSE 'ccc' END FROM (VALUES (1, 2), (2, 2), (3, 3)) AS t(a, b)",
        [("1", "2", "aaa"), ("2", "2", "bbb"), ("3", "3", "ccc")],
    ),
    U(
        "nulls",
        f"{CO}#case-expression",
        "SELECT a, CASE a WHEN 0 THEN 'zero' WHEN > 100 THEN 'big' WHEN BETWEEN 1 AND 10 THEN 'small' WHEN IS NULL THEN 'unknown' ELSE 'other' END FROM (VALUES 0, 150, 5, NULL, 50) AS t(a)",
        [("0", "zero"), ("150", "big"), ("5", "small"), (None, "unknown"), ("50", "other")],
    ),
    # "For ROW arguments, COALESCE skips a row whose fields are all null and keeps a row
    # with mixed null fields": (1, 2) and (1, NULL)
    R("nulls", f"{CO}#coalesce-function", "COALESCE(CAST(ROW(NULL, NULL) AS ROW(integer, integer)), ROW(1, 2))", "{field0=1, field1=2}"),
    R("nulls", f"{CO}#coalesce-function", "COALESCE(CAST(ROW(1, NULL) AS ROW(integer, integer)), ROW(1, 2))", "{field0=1, field1=null}"),
    # -- strings (functions/string.html) -----------------------------------------------------
    E("strings", f"{S}#string-operators", "'ab' || 'cd'", "abcd", "varchar"),
    E("strings", f"{S}#concat", "concat('a', 'b', 'c')", "abc", "varchar"),
    E("strings", f"{S}#length", "length('hello')", "5", "bigint"),
    E("strings", f"{S}#lower", "lower('HeLLo')", "hello", "varchar"),
    E("strings", f"{S}#upper", "upper('HeLLo')", "HELLO", "varchar"),
    E("strings", f"{S}#reverse", "reverse('abc')", "cba", "varchar"),
    E("strings", f"{S}#starts_with", "starts_with('abc', 'ab')", "true", "boolean"),
    E("strings", f"{S}#split_part", "split_part('a,b', ',', 3)", None, "varchar"),
    E("strings", f"{S}#split_part", "split_part('a,b,c', ',', 2)", "b", "varchar"),
    E("strings", f"{S}#strpos", "strpos('abcab', 'b')", "2", "bigint"),
    E("strings", f"{S}#strpos", "strpos('abc', 'z')", "0", "bigint"),
    E("strings", f"{S}#strpos", "strpos('abcab', 'b', 2)", "5", "bigint"),
    E("strings", f"{S}#position", "position('b' IN 'abcab')", "2", "bigint"),
    E("strings", f"{S}#replace", "replace('banana', 'a')", "bnn", "varchar"),
    E("strings", f"{S}#replace", "replace('banana', 'a', 'o')", "bonono", "varchar"),
    E("strings", f"{S}#substring", "substring('hello', 2)", "ello", "varchar"),
    E("strings", f"{S}#substring", "substring('hello', 2, 3)", "ell", "varchar"),
    E("strings", f"{S}#substring", "substring('hello', -3)", "llo", "varchar"),
    R("strings", f"{S}#luhn_check", "luhn_check('79927398713')", "true"),
    R("strings", f"{S}#luhn_check", "luhn_check('79927398714')", "false"),
    R("strings", f"{S}#overlay", "overlay('abc' PLACING 'XYZ' FROM 3)", "abXYZ"),
    R("strings", f"{S}#overlay", "overlay('Txxxxas' PLACING 'hom' FROM 2 FOR 4)", "Thomas"),
    R("strings", f"{S}#title_case", "title_case('hello world')", "Hello World"),
    E("strings", f"{S}#translate", "translate('abcd', '', '')", "abcd"),
    E("strings", f"{S}#translate", "translate('abcd', 'a', 'z')", "zbcd"),
    E("strings", f"{S}#translate", "translate('abcda', 'a', 'z')", "zbcdz"),
    E("strings", f"{S}#translate", "translate('Palhoça', 'ç','c')", "Palhoca"),
    E("strings", f"{S}#translate", "translate('abcd', 'b', U&'\\+01F600')", "a\U0001f600cd"),
    E("strings", f"{S}#translate", "translate('abcd', 'a', '')", "bcd"),
    E("strings", f"{S}#translate", "translate('abcd', 'a', 'zy')", "zbcd"),
    E("strings", f"{S}#translate", "translate('abcd', 'ac', 'z')", "zbd"),
    E("strings", f"{S}#translate", "translate('abcd', 'aac', 'zq')", "zbd"),
    E("strings", f"{S}#trim", "trim('!' FROM '!foo!')", "foo"),
    E("strings", f"{S}#trim", "trim(LEADING FROM '  abcd')", "abcd"),
    E("strings", f"{S}#trim", "trim(BOTH '$' FROM '$var$')", "var"),
    E("strings", f"{S}#trim", "trim(TRAILING 'ER' FROM upper('worker'))", "WORK"),
    # "When instance is a negative number the search will start from the end of string.
    # Positions start with 1. If not found, 0 is returned."
    E("strings", f"{S}#strpos", "strpos('abcab', 'b', -1)", "5", "bigint"),
    E("strings", f"{S}#strpos", "strpos('abcab', 'b', -2)", "2", "bigint"),
    E("strings", f"{S}#strpos", "strpos('abcab', 'b', 3)", "0", "bigint"),
    E("strings", f"{S}#strpos", "strpos('abcab', 'b', -3)", "0", "bigint"),
    E("strings", f"{S}#strpos", "strpos('abcab', 'ab', 1)", "1", "bigint"),
    # soundex: the page's query over TPC-H's nation table (its 25 names), "CHINA"
    R(
        "strings",
        f"{S}#soundex",
        f"WITH {NATION} SELECT name FROM nation WHERE SOUNDEX(name) = SOUNDEX('CHYNA')",
        [("CHINA",)],
    ),
    # language/types.html#varchar and #varbinary: Unicode literals (\2603 is a snowman),
    # a quote escaped by another, the CHAR literal, from_utf8(x'65683F') is "eh?"
    E("strings", f"{TY}#varchar", "U&'Hello winter \\2603 !'", "Hello winter \u2603 !", "varchar"),
    E("strings", f"{TY}#varchar", "U&'Hello winter #2603 !' UESCAPE '#'", "Hello winter \u2603 !", "varchar"),
    E("strings", f"{TY}#varchar", "'I am big, it''s the pictures that got small!'", "I am big, it's the pictures that got small!", "varchar"),
    R("strings", f"{TY}#char", "CHAR 'All right, Mr. DeMille, I''m ready for my close-up.'", "All right, Mr. DeMille, I'm ready for my close-up."),
    R("strings", f"{TY}#varbinary", "from_utf8(x'65683F')", "eh?", "varchar"),
    # -- regular expressions (functions/regexp.html) ------------------------------------------
    E("regex", f"{RX}#regexp_count", "regexp_count('1a 2b 14m', '\\s*[a-z]+\\s*')", "3"),
    E("regex", f"{RX}#regexp_extract_all", "regexp_extract_all('1a 2b 14m', '\\d+')", "[1, 2, 14]"),
    E("regex", f"{RX}#regexp_extract_all", "regexp_extract_all('1a 2b 14m', '(\\d+)([a-z]+)', 2)", "[a, b, m]"),
    E("regex", f"{RX}#regexp_extract", "regexp_extract('1a 2b 14m', '\\d+')", "1", "varchar"),
    E("regex", f"{RX}#regexp_extract", "regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 2)", "a", "varchar"),
    E("regex", f"{RX}#regexp_extract", "regexp_extract('abc', '\\d+')", None, "varchar"),
    E("regex", f"{RX}#regexp_like", "regexp_like('1a 2b 14m', '\\d+b')", "true", "boolean"),
    E("regex", f"{RX}#regexp_like", "regexp_like('1a 2b 14m', '^\\d+b$')", "false", "boolean"),
    R("regex", f"{RX}#regexp_position", "regexp_position('I have 23 apples, 5 pears and 13 oranges', '\\b\\d+\\b')", "8"),
    R("regex", f"{RX}#regexp_position", "regexp_position('I have 23 apples, 5 pears and 13 oranges', '\\b\\d+\\b', 5)", "8"),
    R("regex", f"{RX}#regexp_position", "regexp_position('I have 23 apples, 5 pears and 13 oranges', '\\b\\d+\\b', 12)", "19"),
    R("regex", f"{RX}#regexp_position", "regexp_position('I have 23 apples, 5 pears and 13 oranges', '\\b\\d+\\b', 12, 1)", "19"),
    R("regex", f"{RX}#regexp_position", "regexp_position('I have 23 apples, 5 pears and 13 oranges', '\\b\\d+\\b', 12, 2)", "31"),
    R("regex", f"{RX}#regexp_position", "regexp_position('I have 23 apples, 5 pears and 13 oranges', '\\b\\d+\\b', 12, 3)", "-1"),
    E("regex", f"{RX}#regexp_replace", "regexp_replace('1a 2b 14m', '\\d+[ab] ')", "14m", "varchar"),
    E("regex", f"{RX}#regexp_replace", "regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ')", "3ca 3cb 14m", "varchar"),
    R("regex", f"{RX}#regexp_replace", "regexp_replace('new york', '(\\w)(\\w*)', x -> upper(x[1]) || lower(x[2]))", "New York"),
    E("regex", f"{RX}#regexp_split", "regexp_split('1a 2b 14m', '\\s*[a-z]+\\s*')", "[1, 2, 14, ]"),
    # Java patterns RE2 cannot run (back references, lookaround) are refused, not mis-run
    R("regex", f"{RX}#regular-expression-functions", "regexp_like('abab', '(ab)\\1')", "true"),
    R("regex", f"{RX}#regular-expression-functions", "regexp_like('price: 10', '(?<=: )\\d+')", "true"),
    # -- date and time (functions/datetime.html) ----------------------------------------------
    E("datetime", f"{DT}#date-and-time-operators", "date '2012-08-08' + interval '2' day", "2012-08-10", "date"),
    E("datetime", f"{DT}#date-and-time-operators", "time '01:00' + interval '3' hour", "04:00:00.000", "time"),
    E("datetime", f"{DT}#date-and-time-operators", "timestamp '2012-08-08 01:00' + interval '29' hour", "2012-08-09 06:00:00.000", "timestamp"),
    E("datetime", f"{DT}#date-and-time-operators", "timestamp '2012-10-31 01:00' + interval '1' month", "2012-11-30 01:00:00.000", "timestamp"),
    R("datetime", f"{DT}#date-and-time-operators", "interval '2' day + interval '3' hour", "2 03:00:00.000"),
    R("datetime", f"{DT}#date-and-time-operators", "interval '3' year + interval '5' month", "3-5"),
    E("datetime", f"{DT}#date-and-time-operators", "date '2012-08-08' - interval '2' day", "2012-08-06", "date"),
    E("datetime", f"{DT}#date-and-time-operators", "time '01:00' - interval '3' hour", "22:00:00.000", "time"),
    E("datetime", f"{DT}#date-and-time-operators", "timestamp '2012-08-08 01:00' - interval '29' hour", "2012-08-06 20:00:00.000", "timestamp"),
    E("datetime", f"{DT}#date-and-time-operators", "timestamp '2012-10-31 01:00' - interval '1' month", "2012-09-30 01:00:00.000", "timestamp"),
    R("datetime", f"{DT}#date-and-time-operators", "interval '2' day - interval '3' hour", "1 21:00:00.000"),
    R("datetime", f"{DT}#date-and-time-operators", "interval '3' year - interval '5' month", "2-7"),
    E("datetime", f"{DT}#at-time-zone-operator", "timestamp '2012-10-31 01:00 UTC'", "2012-10-31 01:00:00.000 UTC", "timestamp with time zone"),
    R("datetime", f"{DT}#at-time-zone-operator", "timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'America/Los_Angeles'", "2012-10-30 18:00:00.000 America/Los_Angeles"),
    R("datetime", f"{DT}#from_iso8601_timestamp", "from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00')", "2020-05-11 11:15:05.055 +01:00"),
    R("datetime", f"{DT}#from_iso8601_timestamp_nanos", "from_iso8601_timestamp_nanos('2020-05-11T11:15:05.123456789+01:00')", "2020-05-11 11:15:05.123456789 +01:00"),
    E("datetime", f"{DT}#from_iso8601_date", "from_iso8601_date('2020-05-11')", "2020-05-11", "date"),
    E("datetime", f"{DT}#from_iso8601_date", "from_iso8601_date('2020-W10')", "2020-03-02", "date"),
    E("datetime", f"{DT}#from_iso8601_date", "from_iso8601_date('2020-123')", "2020-05-02", "date"),
    R("datetime", f"{DT}#at_timezone", "at_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles')", "2022-11-01 06:08:07.321 America/Los_Angeles"),
    R("datetime", f"{DT}#with_timezone", "with_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles')", "2022-11-01 09:08:07.321 America/Los_Angeles"),
    R("datetime", f"{DT}#from_unixtime_nanos", "from_unixtime_nanos(100)", "1970-01-01 00:00:00.000000100 UTC"),
    R("datetime", f"{DT}#from_unixtime_nanos", "from_unixtime_nanos(DECIMAL '1234')", "1970-01-01 00:00:00.000001234 UTC"),
    R("datetime", f"{DT}#from_unixtime_nanos", "from_unixtime_nanos(DECIMAL '1234.499')", "1970-01-01 00:00:00.000001234 UTC"),
    R("datetime", f"{DT}#from_unixtime_nanos", "from_unixtime_nanos(DECIMAL '-1234')", "1969-12-31 23:59:59.999998766 UTC"),
    E("datetime", f"{DT}#date_trunc", "date_trunc('day', TIMESTAMP '2022-10-20 05:10:00')", "2022-10-20 00:00:00.000", "timestamp"),
    E("datetime", f"{DT}#date_trunc", "date_trunc('month', TIMESTAMP '2022-10-20 05:10:00')", "2022-10-01 00:00:00.000", "timestamp"),
    E("datetime", f"{DT}#date_trunc", "date_trunc('year', TIMESTAMP '2022-10-20 05:10:00')", "2022-01-01 00:00:00.000", "timestamp"),
    E("datetime", f"{DT}#truncation-function", "date_trunc('millisecond', TIMESTAMP '2001-08-22 03:04:05.321')", "2001-08-22 03:04:05.321"),
    E("datetime", f"{DT}#truncation-function", "date_trunc('second', TIMESTAMP '2001-08-22 03:04:05.321')", "2001-08-22 03:04:05.000"),
    E("datetime", f"{DT}#truncation-function", "date_trunc('minute', TIMESTAMP '2001-08-22 03:04:05.321')", "2001-08-22 03:04:00.000"),
    E("datetime", f"{DT}#truncation-function", "date_trunc('hour', TIMESTAMP '2001-08-22 03:04:05.321')", "2001-08-22 03:00:00.000"),
    E("datetime", f"{DT}#truncation-function", "date_trunc('day', TIMESTAMP '2001-08-22 03:04:05.321')", "2001-08-22 00:00:00.000"),
    E("datetime", f"{DT}#truncation-function", "date_trunc('week', TIMESTAMP '2001-08-22 03:04:05.321')", "2001-08-20 00:00:00.000"),
    E("datetime", f"{DT}#truncation-function", "date_trunc('month', TIMESTAMP '2001-08-22 03:04:05.321')", "2001-08-01 00:00:00.000"),
    E("datetime", f"{DT}#truncation-function", "date_trunc('quarter', TIMESTAMP '2001-08-22 03:04:05.321')", "2001-07-01 00:00:00.000"),
    E("datetime", f"{DT}#truncation-function", "date_trunc('year', TIMESTAMP '2001-08-22 03:04:05.321')", "2001-01-01 00:00:00.000"),
    E("datetime", f"{DT}#date_add", "date_add('second', 86, TIMESTAMP '2020-03-01 00:00:00')", "2020-03-01 00:01:26.000", "timestamp"),
    E("datetime", f"{DT}#date_add", "date_add('hour', 9, TIMESTAMP '2020-03-01 00:00:00')", "2020-03-01 09:00:00.000", "timestamp"),
    E("datetime", f"{DT}#date_add", "date_add('day', -1, TIMESTAMP '2020-03-01 00:00:00 UTC')", "2020-02-29 00:00:00.000 UTC"),
    E("datetime", f"{DT}#date_diff", "date_diff('second', TIMESTAMP '2020-03-01 00:00:00', TIMESTAMP '2020-03-02 00:00:00')", "86400", "bigint"),
    E("datetime", f"{DT}#date_diff", "date_diff('hour', TIMESTAMP '2020-03-01 00:00:00 UTC', TIMESTAMP '2020-03-02 00:00:00 UTC')", "24", "bigint"),
    E("datetime", f"{DT}#date_diff", "date_diff('day', DATE '2020-03-01', DATE '2020-03-02')", "1", "bigint"),
    R("datetime", f"{DT}#date_diff", "date_diff('second', TIMESTAMP '2020-06-01 12:30:45.000000000', TIMESTAMP '2020-06-02 12:30:45.123456789')", "86400"),
    R("datetime", f"{DT}#date_diff", "date_diff('millisecond', TIMESTAMP '2020-06-01 12:30:45.000000000', TIMESTAMP '2020-06-02 12:30:45.123456789')", "86400123"),
    # "Returns timestamp2 - timestamp1 expressed in terms of unit": whole units elapsed
    E("datetime", f"{DT}#date_diff", "date_diff('day', TIMESTAMP '2020-03-01 23:00:00', TIMESTAMP '2020-03-02 01:00:00')", "0", "bigint"),
    R("datetime", f"{DT}#parse_duration", "parse_duration('42.8ms')", "0 00:00:00.043"),
    R("datetime", f"{DT}#parse_duration", "parse_duration('3.81 d')", "3 19:26:24.000"),
    R("datetime", f"{DT}#parse_duration", "parse_duration('5m')", "0 00:05:00.000"),
    R("datetime", f"{DT}#human_readable_seconds", "human_readable_seconds(96)", "1 minute, 36 seconds"),
    R("datetime", f"{DT}#human_readable_seconds", "human_readable_seconds(3762)", "1 hour, 2 minutes, 42 seconds"),
    R("datetime", f"{DT}#human_readable_seconds", "human_readable_seconds(56363463)", "93 weeks, 1 day, 8 hours, 31 minutes, 3 seconds"),
    R("datetime", f"{DT}#date_format", "date_format(TIMESTAMP '2022-10-20 05:10:00', '%m-%d-%Y %H')", "10-20-2022 05"),
    R("datetime", f"{DT}#date_parse", "date_parse('2022/10/20/05', '%Y/%m/%d/%H')", "2022-10-20 05:00:00.000"),
    E("datetime", f"{DT}#extract", "extract(YEAR FROM TIMESTAMP '2022-10-20 05:10:00')", "2022", "bigint"),
    # day_of_week: "ranges from 1 (Monday) to 7 (Sunday)"; 2024-01-07 is a Sunday
    E("datetime", f"{DT}#day_of_week", "extract(DOW FROM DATE '2024-01-07')", "7", "bigint"),
    E("datetime", f"{DT}#day_of_week", "day_of_week(DATE '2024-01-07')", "7", "bigint"),
    E("datetime", f"{DT}#day_of_year", "day_of_year(DATE '2024-12-31')", "366", "bigint"),
    E("datetime", f"{DT}#week", "week(DATE '2021-01-01')", "53", "bigint"),
    E("datetime", f"{DT}#quarter", "quarter(DATE '2024-08-01')", "3", "bigint"),
    E("datetime", f"{DT}#year", "year(DATE '2024-08-01')", "2024", "bigint"),
    E("datetime", f"{DT}#hour", "hour(TIMESTAMP '2022-10-20 05:10:00')", "5", "bigint"),
    R("datetime", f"{DT}#timezone", "timezone(TIMESTAMP '2024-01-01 12:00:00 Asia/Tokyo')", "Asia/Tokyo"),
    R("datetime", f"{DT}#timezone", "timezone(TIMESTAMP '2024-01-01 12:00:00 +01:00')", "+01:00"),
    R("datetime", f"{DT}#timezone", "timezone(TIMESTAMP '2024-02-29 12:00:00 UTC')", "UTC"),
    R("datetime", f"{DT}#timezone", "timezone(TIME '12:00:00+09:00')", "+09:00"),
    # a timestamp literal has the precision of its fraction digits (language/types.html)
    R("datetime", "language/types.html#timestamp", "TIMESTAMP '2020-06-10 15:55:23.383628'", "2020-06-10 15:55:23.383628"),
    # the page's examples in its session zone (America/Vancouver): "the time zone defaults
    # to the session time zone"
    R("datetime", f"{DT}#from_iso8601_timestamp", "from_iso8601_timestamp('2020-05-11')", "2020-05-11 00:00:00.000 America/Vancouver"),
    R("datetime", f"{DT}#from_iso8601_timestamp", "from_iso8601_timestamp('2020-05-11T11:15:05')", "2020-05-11 11:15:05.000 America/Vancouver"),
    R("datetime", f"{DT}#from_iso8601_timestamp_nanos", "from_iso8601_timestamp_nanos('2020-05-11T11:15:05')", "2020-05-11 11:15:05.000000000 America/Vancouver"),
    # language/types.html: the time and timestamp literals with their zone or precision
    # (the page prints TIME '01:02:03.456 -08:00' as 1:02:03.456-08:00, without the
    # hour's leading zero). Its TIMESTAMP '2020-06-10 15:55:23' printed without fraction
    # (a timestamp(0)) contradicts this page's operators and date_add examples, which
    # print such literals' results with milliseconds: left out, the engine follows them.
    R("datetime", f"{TY}#time-with-time-zone", "TIME '01:02:03.456 -08:00'", "01:02:03.456-08:00"),
    R("datetime", f"{TY}#timestamp-p", "TIMESTAMP '2020-06-10 15:55:23.383345'", "2020-06-10 15:55:23.383345"),
    E("datetime", f"{TY}#timestamp-p-with-time-zone", "TIMESTAMP '2001-08-22 03:04:05.321 UTC'", "2001-08-22 03:04:05.321 UTC", "timestamp with time zone"),
    R("datetime", f"{TY}#timestamp-p-with-time-zone", "TIMESTAMP '2001-08-22 03:04:05.321 -08:30'", "2001-08-22 03:04:05.321 -08:30"),
    R("datetime", f"{TY}#timestamp-p-with-time-zone", "TIMESTAMP '2001-08-22 03:04:05.321 GMT-08:30'", "2001-08-22 03:04:05.321 -08:30"),
    R("datetime", f"{TY}#timestamp-p-with-time-zone", "TIMESTAMP '2001-08-22 03:04:05.321 America/New_York'", "2001-08-22 03:04:05.321 America/New_York"),
    # -- arrays (functions/array.html) ---------------------------------------------------------
    E("arrays", A, "ARRAY[1, 2, 4]", "[1, 2, 4]", "array"),
    E("arrays", A, "ARRAY['foo', 'bar', 'bazz']", "[foo, bar, bazz]", "array"),
    E("arrays", A, "ARRAY[1, 1.2, 4]", "[1.0, 1.2, 4.0]"),
    E("arrays", A, "ARRAY[1, 2, NULL, -4, NULL]", "[1, 2, null, -4, null]", "array"),
    E("arrays", f"{A}#subscript-operator", "ARRAY[1, 1.2, 4][2]", "1.2"),
    E("arrays", f"{A}#concatenation-operator", "ARRAY[1] || ARRAY[2]", "[1, 2]"),
    E("arrays", f"{A}#concatenation-operator", "ARRAY[1] || 2", "[1, 2]"),
    E("arrays", f"{A}#concatenation-operator", "2 || ARRAY[1]", "[2, 1]"),
    E("arrays", f"{A}#cardinality", "cardinality(ARRAY[1, 2, 4])", "3", "bigint"),
    E("arrays", f"{A}#contains", "contains(ARRAY[1, 2, 4], 2)", "true", "boolean"),
    E("arrays", f"{A}#array_join", "array_join(ARRAY['a', NULL, 'c'], ',')", "a,c", "varchar"),
    E("arrays", f"{A}#array_sort", "array_sort(ARRAY[3, NULL, 1])", "[1, 3, null]"),
    R("arrays", f"{A}#array_histogram", "array_histogram(ARRAY[42, 7, 42, NULL])", "{42=2, 7=1}"),
    R("arrays", f"{A}#array_histogram", "array_histogram(ARRAY[NULL, NULL])", "{}"),
    R("arrays", f"{A}#array_sort", "array_sort(ARRAY[3, 2, 5, 1, 2], (x, y) -> IF(x < y, 1, IF(x = y, 0, -1)))", "[5, 3, 2, 2, 1]"),
    R("arrays", f"{A}#array_sort", "array_sort(ARRAY['bc', 'ab', 'dc'], (x, y) -> IF(x < y, 1, IF(x = y, 0, -1)))", "[dc, bc, ab]"),
    R("arrays", f"{A}#combinations", "combinations(ARRAY[1, 2, 3], 2)", "[[1, 2], [1, 3], [2, 3]]"),
    E("arrays", f"{A}#element_at", "element_at(ARRAY[1], 5)", None),
    R("arrays", f"{A}#filter", "filter(ARRAY[5, -6, NULL, 7], x -> x > 0)", "[5, 7]"),
    R("arrays", f"{A}#filter", "filter(ARRAY[5, NULL, 7, NULL], x -> x IS NOT NULL)", "[5, 7]"),
    R("arrays", f"{A}#ngrams", "ngrams(ARRAY[1, 2, 3, 4], 2)", "[[1, 2], [2, 3], [3, 4]]"),
    R("arrays", f"{A}#reduce", "reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s)", "75"),
    R("arrays", f"{A}#reduce", "reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + x, s -> s)", None),
    R("arrays", f"{A}#reduce", "reduce(ARRAY[2147483647, 1], BIGINT '0', (s, x) -> s + x, s -> s)", "2147483648"),
    E("arrays", f"{A}#sequence", "sequence(1, 5)", "[1, 2, 3, 4, 5]"),
    E("arrays", f"{A}#sequence", "sequence(5, 1)", "[5, 4, 3, 2, 1]"),
    R("arrays", f"{A}#trim_array", "trim_array(ARRAY[1, 2, 3, 4], 1)", "[1, 2, 3]"),
    R("arrays", f"{A}#trim_array", "trim_array(ARRAY[1, 2, 3, 4], 2)", "[1, 2]"),
    R("arrays", f"{A}#transform", "transform(ARRAY[5, 6], x -> x + 1)", "[6, 7]"),
    R("arrays", f"{A}#transform", "transform(ARRAY[5, NULL, 6], x -> coalesce(x, 0) + 1)", "[6, 1, 7]"),
    R("arrays", f"{A}#euclidean_distance", "euclidean_distance(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])", "2.8284271247461903"),
    R("arrays", f"{A}#dot_product", "dot_product(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])", "11.0"),
    R("arrays", f"{A}#zip_with", "zip_with(ARRAY[1, 2], ARRAY[3, 4], (x, y) -> x + y)", "[4, 6]"),
    # UNNEST (sql/select.html#unnest): several arrays are zipped, the shorter padded with NULL
    E("arrays", f"{SEL}#unnest", "SELECT * FROM UNNEST(ARRAY[1,2]) AS t(number)", [("1",), ("2",)]),
    R(
        "arrays",
        f"{SEL}#unnest",
        "SELECT * FROM UNNEST(map_from_entries(ARRAY[('SQL',1974), ('Java', 1995)])) AS t(language, first_appeared_year)",
        [("SQL", "1974"), ("Java", "1995")],
    ),
    R(
        "arrays",
        f"{SEL}#unnest",
        "SELECT * FROM UNNEST(ARRAY[ROW('Java',  1995), ROW('SQL' , 1974)], ARRAY[ROW(false), ROW(true)]) as t(language,first_appeared_year,declarative)",
        [("Java", "1995", "false"), ("SQL", "1974", "true")],
    ),
    E(
        "arrays",
        f"{SEL}#unnest",
        "SELECT a, b, rownumber FROM UNNEST (ARRAY[2, 5], ARRAY[7, 8, 9]) WITH ORDINALITY AS t(a, b, rownumber)",
        [("2", "7", "1"), ("5", "8", "2"), (None, "9", "3")],
    ),
    E("arrays", f"{SEL}#unnest", "SELECT * FROM UNNEST (ARRAY[]) AS t(value)", []),
    E("arrays", f"{SEL}#unnest", "SELECT * FROM UNNEST (CAST(null AS ARRAY(integer))) AS t(number)", []),
    E(
        "arrays",
        f"{SEL}#unnest",
        "SELECT student, score FROM (VALUES ('John', ARRAY[7, 10, 9]), ('Mary', ARRAY[4, 8, 9])) AS tests (student, scores) CROSS JOIN UNNEST(scores) AS t(score)",
        [("John", "7"), ("John", "10"), ("John", "9"), ("Mary", "4"), ("Mary", "8"), ("Mary", "9")],
    ),
    E(
        "arrays",
        f"{SEL}#unnest",
        "SELECT numbers, animals, n, a FROM (VALUES (ARRAY[2, 5], ARRAY['dog', 'cat', 'bird']), (ARRAY[7, 8, 9], ARRAY['cow', 'pig'])) AS x (numbers, animals) CROSS JOIN UNNEST(numbers, animals) AS t (n, a)",
        [
            ("[2, 5]", "[dog, cat, bird]", "2", "dog"), ("[2, 5]", "[dog, cat, bird]", "5", "cat"),
            ("[2, 5]", "[dog, cat, bird]", None, "bird"), ("[7, 8, 9]", "[cow, pig]", "7", "cow"),
            ("[7, 8, 9]", "[cow, pig]", "8", "pig"), ("[7, 8, 9]", "[cow, pig]", "9", None),
        ],
    ),
    E(
        "arrays",
        f"{SEL}#unnest",
        "SELECT runner, checkpoint FROM (VALUES ('Joe', ARRAY[10, 20, 30, 42]), ('Roger', ARRAY[10]), ('Dave', ARRAY[]), ('Levi', NULL)) AS marathon (runner, checkpoints) LEFT JOIN UNNEST(checkpoints) AS t(checkpoint) ON TRUE",
        [("Joe", "10"), ("Joe", "20"), ("Joe", "30"), ("Joe", "42"), ("Roger", "10"), ("Dave", None), ("Levi", None)],
    ),
    E("arrays", f"{SEL}#limit-or-fetch-first-clause", "SELECT * FROM (VALUES 5, 2, 4, 1, 3) t(x) ORDER BY x OFFSET 2 LIMIT 2", [("3",), ("4",)]),
    R("arrays", f"{SEL}#select-clause", "SELECT (ROW(1, true)).*", [("1", "true")]),
    # "The [] operator is used to access an element of an array and is indexed starting
    # from one"; element_at "returns NULL when accessing an index larger than array
    # length, whereas the subscript operator would fail in such a case. If index < 0,
    # element_at accesses elements from the last to the first."
    E("arrays", f"{A}#subscript-operator", "ARRAY['foo', 'bar', 'bazz'][1]", "foo", "varchar"),
    # The error code of a failing subscript is Trino's (ArraySubscriptOperator,
    # MapSubscriptOperator: INVALID_FUNCTION_ARGUMENT); that it fails is the page's.
    E("arrays", f"{A}#subscript-operator", "ARRAY[1, 2, NULL, -4, NULL][3]", None, "integer"),
    E("arrays", f"{A}#element_at", "ARRAY[1][5]", Fails("INVALID_FUNCTION_ARGUMENT")),
    E("arrays", f"{A}#element_at", "element_at(ARRAY[1, 2, 4], 3)", "4", "integer"),
    E("arrays", f"{A}#element_at", "element_at(ARRAY[1, 2, 4], -1)", "4", "integer"),
    E("arrays", f"{A}#element_at", "element_at(ARRAY[1, 2, 4], -3)", "1", "integer"),
    E("arrays", f"{A}#element_at", "element_at(ARRAY[1, 2, 4], -4)", None, "integer"),
    E("arrays", f"{A}#array_first", "ARRAY[][1]", Fails("INVALID_FUNCTION_ARGUMENT")),
    # the page's other lambda, combinations, ngrams, reduce, transform, zip and zip_with
    # examples (rows print as Athena prints them: {field0=..., field1=...})
    R("arrays", f"{A}#array_sort", "array_sort(ARRAY[3, 2, null, 5, null, 1, 2], (x, y) -> CASE WHEN x IS NULL THEN -1 WHEN y IS NULL THEN 1 WHEN x < y THEN 1 WHEN x = y THEN 0 ELSE -1 END)", "[null, null, 5, 3, 2, 2, 1]"),
    R("arrays", f"{A}#array_sort", "array_sort(ARRAY[3, 2, null, 5, null, 1, 2], (x, y) -> CASE WHEN x IS NULL THEN 1 WHEN y IS NULL THEN -1 WHEN x < y THEN 1 WHEN x = y THEN 0 ELSE -1 END)", "[5, 3, 2, 2, 1, null, null]"),
    R("arrays", f"{A}#array_sort", "array_sort(ARRAY['a', 'abcd', 'abc'], (x, y) -> IF(length(x) < length(y), -1, IF(length(x) = length(y), 0, 1)))", "[a, abc, abcd]"),
    R("arrays", f"{A}#array_sort", "array_sort(ARRAY[ARRAY[2, 3, 1], ARRAY[4, 2, 1, 4], ARRAY[1, 2]], (x, y) -> IF(cardinality(x) < cardinality(y), -1, IF(cardinality(x) = cardinality(y), 0, 1)))", "[[1, 2], [2, 3, 1], [4, 2, 1, 4]]"),
    R("arrays", f"{A}#combinations", "combinations(ARRAY['foo', 'bar', 'baz'], 2)", "[[foo, bar], [foo, baz], [bar, baz]]"),
    R("arrays", f"{A}#combinations", "combinations(ARRAY[1, 2, 2], 2)", "[[1, 2], [1, 2], [2, 2]]"),
    R("arrays", f"{A}#filter", "filter(ARRAY[], x -> true)", "[]"),
    R("arrays", f"{A}#ngrams", "ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 2)", "[[foo, bar], [bar, baz], [baz, foo]]"),
    R("arrays", f"{A}#ngrams", "ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 3)", "[[foo, bar, baz], [bar, baz, foo]]"),
    R("arrays", f"{A}#ngrams", "ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 4)", "[[foo, bar, baz, foo]]"),
    R("arrays", f"{A}#ngrams", "ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 5)", "[[foo, bar, baz, foo]]"),
    R("arrays", f"{A}#reduce", "reduce(ARRAY[], 0, (s, x) -> s + x, s -> s)", "0"),
    R("arrays", f"{A}#reduce", "reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + coalesce(x, 0), s -> s)", "75"),
    R("arrays", f"{A}#reduce", "reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> IF(x IS NULL, s, s + x), s -> s)", "75"),
    R("arrays", f"{A}#reduce", "reduce(ARRAY[5, 6, 10, 20], CAST(ROW(0.0, 0) AS ROW(sum DOUBLE, count INTEGER)), (s, x) -> CAST(ROW(x + s.sum, s.count + 1) AS ROW(sum DOUBLE, count INTEGER)), s -> IF(s.count = 0, NULL, s.sum / s.count))", "10.25"),
    R("arrays", f"{A}#transform", "transform(ARRAY[], x -> x + 1)", "[]"),
    R("arrays", f"{A}#transform", "transform(ARRAY['x', 'abc', 'z'], x -> x || '0')", "[x0, abc0, z0]"),
    R("arrays", f"{A}#transform", "transform(ARRAY[ARRAY[1, NULL, 2], ARRAY[3, NULL]], a -> filter(a, x -> x IS NOT NULL))", "[[1, 2], [3]]"),
    R("arrays", f"{A}#zip", "zip(ARRAY[1, 2], ARRAY['1b', null, '3b'])", "[{field0=1, field1=1b}, {field0=2, field1=null}, {field0=null, field1=3b}]"),
    R("arrays", f"{A}#zip_with", "zip_with(ARRAY[1, 3, 5], ARRAY['a', 'b', 'c'], (x, y) -> (y, x))", "[{field0=a, field1=1}, {field0=b, field1=3}, {field0=c, field1=5}]"),
    R("arrays", f"{A}#zip_with", "zip_with(ARRAY['a', 'b', 'c'], ARRAY['d', 'e', 'f'], (x, y) -> concat(x, y))", "[ad, be, cf]"),
    R("arrays", f"{A}#zip_with", "zip_with(ARRAY['a'], ARRAY['d', null, 'f'], (x, y) -> coalesce(x, y))", "[a, null, f]"),
    # language/types.html#row-type: a named field by ".", a field by position "[]"
    R("arrays", f"{TY}#row-type", "CAST(ROW(1, 2.0) AS ROW(x BIGINT, y DOUBLE)).x", "1", "bigint"),
    R("arrays", f"{TY}#row-type", "ROW(1, 2.0)[1]", "1", "integer"),
    # -- maps (functions/map.html) --------------------------------------------------------------
    E("maps", MP, "MAP(ARRAY['key1', 'key2', 'key3'], ARRAY[2373, 3463, 45837])", "{key1=2373, key2=3463, key3=45837}", "map"),
    E("maps", MP, "MAP(ARRAY['key1', 'key2', 'key3'], ARRAY['v1', 'v2', 'v3'])", "{key1=v1, key2=v2, key3=v3}", "map"),
    E("maps", MP, "MAP(ARRAY['key1', 'key2', 'key3'], ARRAY[23, 34.63, 45.837])", "{key1=23.000, key2=34.630, key3=45.837}"),
    E("maps", MP, "MAP(ARRAY['key1', 'key2', 'key3'], ARRAY['v1', NULL, 'v3'])", "{key1=v1, key2=null, key3=v3}", "map"),
    E("maps", f"{MP}#subscript-operator", "MAP(ARRAY['key1', 'key2', 'key3'], ARRAY['v1', 'v2', 'v3'])['key2']", "v2", "varchar"),
    E("maps", f"{MP}#map_functions", "map()", "{}"),
    E("maps", f"{MP}#map_functions", "map(ARRAY[1, 3], ARRAY[2, 4])", "{1=2, 3=4}"),
    R("maps", f"{MP}#map_from_entries", "map_from_entries(ARRAY[(1, 'x'), (2, 'y')])", "{1=x, 2=y}"),
    R("maps", f"{MP}#multimap_from_entries", "multimap_from_entries(ARRAY[(1, 'x'), (2, 'y'), (1, 'z')])", "{1=[x, z], 2=[y]}"),
    R("maps", f"{MP}#map_entries", "map_entries(MAP(ARRAY[1, 2], ARRAY['x', 'y']))", "[{field0=1, field1=x}, {field0=2, field1=y}]"),
    R("maps", f"{MP}#map_filter", "map_filter(MAP(ARRAY[10, 20, 30], ARRAY['a', NULL, 'c']), (k, v) -> v IS NOT NULL)", "{10=a, 30=c}"),
    R("maps", f"{MP}#map_filter", "map_filter(MAP(ARRAY['k1', 'k2', 'k3'], ARRAY[20, 3, 15]), (k, v) -> v > 10)", "{k1=20, k3=15}"),
    R("maps", f"{MP}#map_zip_with", "map_zip_with(MAP(ARRAY[1, 2, 3], ARRAY['a', 'b', 'c']), MAP(ARRAY[1, 2, 3], ARRAY['d', 'e', 'f']), (k, v1, v2) -> concat(v1, v2))", "{1=ad, 2=be, 3=cf}"),
    R("maps", f"{MP}#transform_keys", "transform_keys(MAP(ARRAY[1, 2, 3], ARRAY['a', 'b', 'c']), (k, v) -> k + 1)", "{2=a, 3=b, 4=c}"),
    R("maps", f"{MP}#transform_values", "transform_values(MAP(ARRAY[1, 2, 3], ARRAY[10, 20, 30]), (k, v) -> v + k)", "{1=11, 2=22, 3=33}"),
    R("maps", f"{MP}#map_keys", "map_keys(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", "[a, b]"),
    R("maps", f"{MP}#map_values", "map_values(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", "[1, 2]"),
    E("maps", f"{MP}#element_at", "element_at(MAP(ARRAY['a'], ARRAY[1]), 'b')", None),
    # "This operator throws an error if the key is not contained in the map. See also
    # element_at function that returns NULL in such case."
    E("maps", f"{MP}#subscript-operator", "MAP(ARRAY['key1'], ARRAY['v1'])['key2']", Fails("INVALID_FUNCTION_ARGUMENT")),
    E("maps", f"{MP}#subscript-operator", "map(ARRAY[1, 3], ARRAY[2, 4])[3]", "4", "integer"),
    E("maps", f"{MP}#element_at", "element_at(MAP(ARRAY['key1', 'key2'], ARRAY['v1', 'v2']), 'key2')", "v2", "varchar"),
    # the page's other map_filter, map_zip_with, transform_keys and transform_values examples
    R("maps", f"{MP}#map_filter", "map_filter(MAP(ARRAY[], ARRAY[]), (k, v) -> true)", "{}"),
    R("maps", f"{MP}#map_zip_with", "map_zip_with(MAP(ARRAY['k1', 'k2'], ARRAY[1, 2]), MAP(ARRAY['k2', 'k3'], ARRAY[4, 9]), (k, v1, v2) -> (v1, v2))", "{k1={field0=1, field1=null}, k2={field0=2, field1=4}, k3={field0=null, field1=9}}"),
    R("maps", f"{MP}#map_zip_with", "map_zip_with(MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 8, 27]), MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 2, 3]), (k, v1, v2) -> k || CAST(v1 / v2 AS VARCHAR))", "{a=a1, b=b4, c=c9}"),
    R("maps", f"{MP}#transform_keys", "transform_keys(MAP(ARRAY[], ARRAY[]), (k, v) -> k + 1)", "{}"),
    R("maps", f"{MP}#transform_keys", "transform_keys(MAP(ARRAY ['a', 'b', 'c'], ARRAY [1, 2, 3]), (k, v) -> v * v)", "{1=1, 4=2, 9=3}"),
    R("maps", f"{MP}#transform_keys", "transform_keys(MAP(ARRAY ['a', 'b'], ARRAY [1, 2]), (k, v) -> k || CAST(v as VARCHAR))", "{a1=1, b2=2}"),
    R("maps", f"{MP}#transform_keys", "transform_keys(MAP(ARRAY [1, 2], ARRAY [1.0, 1.4]), (k, v) -> MAP(ARRAY[1, 2], ARRAY['one', 'two'])[k])", "{one=1.0, two=1.4}"),
    R("maps", f"{MP}#transform_values", "transform_values(MAP(ARRAY[], ARRAY[]), (k, v) -> v + 1)", "{}"),
    R("maps", f"{MP}#transform_values", "transform_values(MAP(ARRAY [1, 2, 3], ARRAY ['a', 'b', 'c']), (k, v) -> k * k)", "{1=1, 2=4, 3=9}"),
    R("maps", f"{MP}#transform_values", "transform_values(MAP(ARRAY ['a', 'b'], ARRAY [1, 2]), (k, v) -> k || CAST(v as VARCHAR))", "{a=a1, b=b2}"),
    R("maps", f"{MP}#transform_values", "transform_values(MAP(ARRAY [1, 2], ARRAY [1.0, 1.4]), (k, v) -> MAP(ARRAY[1, 2], ARRAY['one', 'two'])[k] || '_' || CAST(v AS VARCHAR))", "{1=one_1.0, 2=two_1.4}"),
    # -- JSON (functions/json.html) ---------------------------------------------------------------
    R("json", f"{J}#json-array", "json_array(true, 12e-1, 'text')", '[true,1.2,"text"]'),
    R("json", f"{J}#json-array", "json_array()", "[]"),
    R("json", f"{J}#json-array", "json_array(true, null, 1)", "[true,1]"),
    R("json", f"{J}#json-object", "json_object('key1' : 1, 'key2' : true)", '{"key1":1,"key2":true}'),
    R("json", f"{J}#json-object", "json_object()", "{}"),
    U("json", f"{J}#json-array", "json_array(true, null, 1 NULL ON NULL)", "[true,null,1]"),
    R("json", f"{J}#json-array", "json_array(DATE '2001-01-31', UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59')", '["2001-01-31","12151fd2-7586-11e9-8f9e-2a86e4085a59"]'),
    R("json", f"{J}#json-object", "json_object('key1' VALUE 1, 'key2' VALUE true)", '{"key1":1,"key2":true}'),
    R("json", f"{J}#json-object", "json_object('x' : true, 'y' : 12e-1, 'z' : 'text')", '{"x":true,"y":1.2,"z":"text"}'),
    R("json", f"{J}#json-object", "json_object('x' : null, 'y' : 1)", '{"x":null,"y":1}'),
    R("json", f"{J}#json-object", "json_object('x' : null, 'y' : 1 ABSENT ON NULL)", '{"y":1}'),
    R(
        "json",
        f"{J}#json-exists",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_exists(description, 'lax $.children[*]?(@ > 10)') FROM customers",
        [("101", "true"), ("102", "true"), ("103", "false")],
    ),
    U(
        "json",
        f"{J}#json-exists",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_exists(description, 'strict $.children[2]?(@ > 10)' UNKNOWN ON ERROR) FROM customers",
        [("101", "true"), ("102", None), ("103", None)],
    ),
    R(
        "json",
        f"{J}#json-query",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_query(description, 'lax $.children') FROM customers",
        [("101", "[10,13,16]"), ("102", "[8,11]"), ("103", "[2]")],
    ),
    R(
        "json",
        f"{J}#json-query",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_query(description, 'lax $.children[last]' WITH ARRAY WRAPPER) FROM customers",
        [("101", "[16]"), ("102", "[11]"), ("103", "[2]")],
    ),
    R(
        "json",
        f"{J}#json-value",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_value(description, 'lax $.children[0]' RETURNING tinyint) FROM customers",
        [("101", "10"), ("102", "8"), ("103", "2")],
    ),
    R(
        "json",
        f"{J}#json-value",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_value(description, 'lax $.children[2]' DEFAULT 'missing' ON EMPTY) FROM customers",
        [("101", "16"), ("102", "missing"), ("103", "missing")],
    ),
    R(
        "json",
        f"{J}#json-table",
        "SELECT * FROM json_table('[{\"id\":1,\"name\":\"Africa\"}]', 'strict $' COLUMNS (NESTED PATH 'strict $[*]' COLUMNS (id integer PATH 'strict $.id', name varchar PATH 'strict $.name')))",
        [("1", "Africa")],
    ),
    R("json", f"{J}#cast-to-json", "CAST(NULL AS JSON)", None),
    R("json", f"{J}#cast-to-json", "CAST(1 AS JSON)", "1"),
    R("json", f"{J}#cast-to-json", "CAST('abc' AS JSON)", '"abc"'),
    R("json", f"{J}#cast-to-json", "CAST(ARRAY[1, NULL, 456] AS JSON)", "[1,null,456]"),
    R("json", f"{J}#cast-from-json", "CAST(JSON 'null' AS VARCHAR)", None),
    R("json", f"{J}#cast-from-json", "CAST(JSON '\"abc\"' AS VARCHAR)", "abc"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '1' AS INTEGER)", "1"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '[1,23,456]' AS ARRAY(INTEGER))", "[1, 23, 456]"),
    R("json", f"{J}#is_json_scalar", "is_json_scalar('1')", "true"),
    R("json", f"{J}#is_json_scalar", "is_json_scalar('[1, 2, 3]')", "false"),
    R("json", f"{J}#json_array_contains", "json_array_contains('[1, 2, 3]', 2)", "true"),
    R("json", f"{J}#json_array_get", "json_array_get('[\"a\", [3, 9], \"c\"]', 1)", "[3,9]"),
    R("json", f"{J}#json_array_get", "json_array_get('[]', 0)", None),
    R("json", f"{J}#json_array_length", "json_array_length('[1, 2, 3]')", "3"),
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('[1, 2, 3]', '$[2]')", "3", "varchar"),
    # "The value referenced by json_path must be a scalar": an array gives NULL
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"a\": [1]}', '$.a')", None, "varchar"),
    # json_extract_scalar -> varchar: "The value referenced by json_path must be a scalar
    # (boolean, number or string)"; the page's '$.store.book[0].author' and json_size's
    # documents
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"store\": {\"book\": [{\"author\": \"Nigel Rees\"}]}}', '$.store.book[0].author')", "Nigel Rees", "varchar"),
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"x\": {\"a\": 1, \"b\": 2}}', '$.x.a')", "1", "varchar"),
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"x\": {\"a\": 1, \"b\": 2}}', '$.x')", None, "varchar"),
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"x\": [1, 2, 3]}', '$.x')", None, "varchar"),
    E("json", f"{J}#json_extract_scalar", "json_extract_scalar('{\"x\": true}', '$.x')", "true", "varchar"),
    # the page's other json_query, json_value and json_table examples
    R(
        "json",
        f"{J}#json-query",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_query(description, 'lax $.children[*]' WITHOUT ARRAY WRAPPER NULL ON ERROR) FROM customers",
        [("101", None), ("102", None), ("103", "2")],
    ),
    U(
        "json",
        f"{J}#json-query",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_query(description, 'strict $.children[*]?(@ > 12)' WITH ARRAY WRAPPER EMPTY ARRAY ON EMPTY) FROM customers",
        [("101", "[13,16]"), ("102", "[]"), ("103", "[]")],
    ),
    R(
        "json",
        f"{J}#json-query",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_query(description, 'strict $.comment' KEEP QUOTES), json_query(description, 'strict $.comment' OMIT QUOTES) FROM customers",
        [("101", '"nice"', "nice"), ("102", '"problematic"', "problematic"), ("103", '"knows best"', "knows best")],
    ),
    R(
        "json",
        f"{J}#json-value",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_value(description, 'lax $.comment' RETURNING char(12)) FROM customers",
        [("101", "nice        "), ("102", "problematic "), ("103", "knows best  ")],
    ),
    R(
        "json",
        f"{J}#json-value",
        f"WITH {JSON_CUSTOMERS} SELECT id, json_value(description, 'strict $.children[2]' DEFAULT 'err' ON ERROR) FROM customers",
        [("101", "16"), ("102", "err"), ("103", "err")],
    ),
    # the page's first json_table example in full (its table prints Africa's Q15 as Q1)
    R(
        "json",
        f"{J}#json-table",
        "SELECT * FROM json_table('[{\"id\":1,\"name\":\"Africa\",\"wikiDataId\":\"Q15\"}, {\"id\":2,\"name\":\"Americas\",\"wikiDataId\":\"Q828\"}, {\"id\":3,\"name\":\"Asia\",\"wikiDataId\":\"Q48\"}, {\"id\":4,\"name\":\"Europe\",\"wikiDataId\":\"Q51\"}]', 'strict $' COLUMNS (NESTED PATH 'strict $[*]' COLUMNS (id integer PATH 'strict $.id', name varchar PATH 'strict $.name', wiki_data_id varchar PATH 'strict $.\"wikiDataId\"')))",
        [("1", "Africa", "Q15"), ("2", "Americas", "Q828"), ("3", "Asia", "Q48"), ("4", "Europe", "Q51")],
    ),
    R(
        "json",
        f"{J}#json-table",
        "SELECT * FROM json_table('[{\"continent\": \"Asia\", \"countries\": [{\"name\": \"Japan\", \"population\": 125.7}, {\"name\": \"Thailand\", \"population\": 71.6}]}, {\"continent\": \"Europe\", \"countries\": [{\"name\": \"France\", \"population\": 67.4}, {\"name\": \"Germany\", \"population\": 83.2}]}]', 'lax $' COLUMNS (NESTED PATH 'lax $[*]' COLUMNS (continent varchar PATH 'lax $.continent', NESTED PATH 'lax $.countries[*]' COLUMNS (country varchar PATH 'lax $.name', population double PATH 'lax $.population'))))",
        [("Asia", "Japan", "125.7"), ("Asia", "Thailand", "71.6"), ("Europe", "France", "67.4"), ("Europe", "Germany", "83.2")],
    ),
    U(
        "json",
        f"{J}#json-table",
        "SELECT * FROM JSON_TABLE('[]', 'lax $' AS \"root_path\" COLUMNS(a varchar(1) PATH 'lax \"A\"', NESTED PATH 'lax $[*]' AS \"nested_path\" COLUMNS (b varchar(1) PATH 'lax \"B\"')) PLAN (\"root_path\" OUTER \"nested_path\"))",
        [("A", None)],
    ),
    U(
        "json",
        f"{J}#json-table",
        "SELECT * FROM JSON_TABLE('[]', 'lax $' AS \"root_path\" COLUMNS(a varchar(1) PATH 'lax \"A\"', NESTED PATH 'lax $[*]' AS \"nested_path\" COLUMNS (b varchar(1) PATH 'lax \"B\"')) PLAN (\"root_path\" INNER \"nested_path\"))",
        [(None, None)],
    ),
    # json_array / json_object: the page's other argument, null, key and RETURNING
    # examples (a varbinary prints as Athena prints it, hex bytes separated by spaces)
    U("json", f"{J}#json-array", "json_array('[  \"text\"  ] ' FORMAT JSON, X'5B0035005D00' FORMAT JSON ENCODING UTF16)", '[["text"],[5]]'),
    R("json", f"{J}#json-array", "json_array(json_query('{\"key\" : [  \"value\"  ]}', 'lax $.key'))", '[["value"]]'),
    U("json", f"{J}#json-array", "json_array(true, null, 1 ABSENT ON NULL)", "[true,1]"),
    U("json", f"{J}#json-array", "json_array(true, 1 RETURNING VARCHAR(100))", "[true,1]"),
    U("json", f"{J}#json-array", "json_array(true, 1 RETURNING VARBINARY)", "5b 74 72 75 65 2c 31 5d"),
    U("json", f"{J}#json-array", "json_array(true, 1 RETURNING VARBINARY FORMAT JSON ENCODING UTF8)", "5b 74 72 75 65 2c 31 5d"),
    U("json", f"{J}#json-array", "json_array(true, 1 RETURNING VARBINARY FORMAT JSON ENCODING UTF16)", "5b 00 74 00 72 00 75 00 65 00 2c 00 31 00 5d 00"),
    U("json", f"{J}#json-array", "json_array(true, 1 RETURNING VARBINARY FORMAT JSON ENCODING UTF32)", "5b 00 00 00 74 00 00 00 72 00 00 00 75 00 00 00 65 00 00 00 2c 00 00 00 31 00 00 00 5d 00 00 00"),
    R("json", f"{J}#json-object", "json_object(KEY 'key1' VALUE 1, KEY 'key2' VALUE true)", '{"key1":1,"key2":true}'),
    R("json", f"{J}#json-object", "json_object('x' : '[  \"text\"  ] ' FORMAT JSON, 'y' : X'5B0035005D00' FORMAT JSON ENCODING UTF16)", '{"x":["text"],"y":[5]}'),
    R("json", f"{J}#json-object", "json_object('x' : json_query('{\"key\" : [  \"value\"  ]}', 'lax $.key'))", '{"x":["value"]}'),
    R("json", f"{J}#json-object", "json_object('x' : DATE '2001-01-31', 'y' : UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59')", '{"x":"2001-01-31","y":"12151fd2-7586-11e9-8f9e-2a86e4085a59"}'),
    R("json", f"{J}#json-object", "json_object('x' : null, 'y' : 1 NULL ON NULL)", '{"x":null,"y":1}'),
    R("json", f"{J}#json-object", "json_object('x' : null, 'x' : 1 WITH UNIQUE KEYS)", Fails("JSON_OUTPUT_CONVERSION_ERROR")),
    R("json", f"{J}#json-object", "json_object('x' : 1 RETURNING VARCHAR(100))", '{"x":1}'),
    R("json", f"{J}#json-object", "json_object('x' : 1 RETURNING VARBINARY)", "7b 22 78 22 3a 31 7d"),
    R("json", f"{J}#json-object", "json_object('x' : 1 RETURNING VARBINARY FORMAT JSON ENCODING UTF8)", "7b 22 78 22 3a 31 7d"),
    R("json", f"{J}#json-object", "json_object('x' : 1 RETURNING VARBINARY FORMAT JSON ENCODING UTF16)", "7b 00 22 00 78 00 22 00 3a 00 31 00 7d 00"),
    R("json", f"{J}#json-object", "json_object('x' : 1 RETURNING VARBINARY FORMAT JSON ENCODING UTF32)", "7b 00 00 00 22 00 00 00 78 00 00 00 22 00 00 00 3a 00 00 00 31 00 00 00 7d 00 00 00"),
    # the page's other casts to and from JSON
    R("json", f"{J}#cast-to-json", "CAST(9223372036854775807 AS JSON)", "9223372036854775807"),
    R("json", f"{J}#cast-to-json", "CAST(true AS JSON)", "true"),
    R("json", f"{J}#cast-to-json", "CAST(1.234 AS JSON)", "1.234"),
    R("json", f"{J}#cast-to-json", "CAST(ARRAY[1, 23, 456] AS JSON)", "[1,23,456]"),
    R("json", f"{J}#cast-to-json", "CAST(ARRAY[ARRAY[1, 23], ARRAY[456]] AS JSON)", "[[1,23],[456]]"),
    R("json", f"{J}#cast-to-json", "CAST(MAP(ARRAY['k1', 'k2', 'k3'], ARRAY[1, 23, 456]) AS JSON)", '{"k1":1,"k2":23,"k3":456}'),
    R("json", f"{J}#cast-to-json", "CAST(CAST(ROW(123, 'abc', true) AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN)) AS JSON)", '{"v1":123,"v2":"abc","v3":true}'),
    R("json", f"{J}#cast-from-json", "CAST(JSON '\"2001-01-31\"' AS DATE)", "2001-01-31", "date"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '\"01:23:45.678\"' AS TIME(3))", "01:23:45.678"),
    R("json", f"{J}#cast-from-json", "CAST(JSON 'null' AS DATE)", None),
    R("json", f"{J}#cast-from-json", "CAST(JSON '42' AS DATE)", Fails("INVALID_CAST_ARGUMENT")),
    R("json", f"{J}#cast-from-json", "CAST(JSON '9223372036854775807' AS BIGINT)", "9223372036854775807", "bigint"),
    R("json", f"{J}#cast-from-json", "CAST(JSON 'true' AS BOOLEAN)", "true", "boolean"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '1.234' AS DOUBLE)", "1.234", "double"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '[1,null,456]' AS ARRAY(INTEGER))", "[1, null, 456]"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '[[1,23],[456]]' AS ARRAY(ARRAY(INTEGER)))", "[[1, 23], [456]]"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '{\"k1\":1,\"k2\":23,\"k3\":456}' AS MAP(VARCHAR, INTEGER))", "{k1=1, k2=23, k3=456}"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '{\"v1\":123,\"v2\":\"abc\",\"v3\":true}' AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN))", "{v1=123, v2=abc, v3=true}"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '[123,\"abc\",true]' AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN))", "{v1=123, v2=abc, v3=true}"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '[[1, 23], 456]' AS ARRAY(JSON))", "[[1,23], 456]"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '{\"k1\": [1, 23], \"k2\": 456}' AS MAP(VARCHAR, JSON))", "{k1=[1,23], k2=456}"),
    R("json", f"{J}#cast-from-json", "CAST(JSON '[null]' AS ARRAY(JSON))", "[null]"),
    # json_array_get's other examples (the page warns its strings come back unquoted)
    R("json", f"{J}#json_array_get", "json_array_get('[\"a\", [3, 9], \"c\"]', 0)", "a"),
    R("json", f"{J}#json_array_get", "json_array_get('[\"c\", [3, 9], \"a\"]', -1)", "a"),
    R("json", f"{J}#json_array_get", "json_array_get('[\"c\", [3, 9], \"a\"]', -2)", "[3,9]"),
    R("json", f"{J}#json_array_get", "json_array_get('[\"a\", \"b\", \"c\"]', 10)", None),
    R("json", f"{J}#json_array_get", "json_array_get('[\"c\", \"b\", \"a\"]', -10)", None),
    # json_format, CAST(json AS VARCHAR), json_parse and CAST(string AS JSON)
    R("json", f"{J}#json_format", "json_format(JSON '[1, 2, 3]')", "[1,2,3]", "varchar"),
    R("json", f"{J}#json_format", "json_format(JSON '\"a\"')", '"a"', "varchar"),
    R("json", f"{J}#json_format", "json_format(JSON '{\"a\": 1, \"b\": 2}')", '{"a":1,"b":2}', "varchar"),
    R("json", f"{J}#json_format", "json_format(JSON '\"abc\"')", '"abc"', "varchar"),
    R("json", f"{J}#json_format", "json_format(JSON '42')", "42", "varchar"),
    R("json", f"{J}#json_format", "json_format(JSON 'true')", "true", "varchar"),
    R("json", f"{J}#json_format", "json_format(JSON 'null')", "null", "varchar"),
    R("json", f"{J}#json_format", "CAST(JSON '{\"a\": 1, \"b\": 2}' AS VARCHAR)", Fails("INVALID_CAST_ARGUMENT")),
    R("json", f"{J}#json_format", "CAST(JSON '[1, 2, 3]' AS VARCHAR)", Fails("INVALID_CAST_ARGUMENT")),
    R("json", f"{J}#json_format", "CAST(JSON '42' AS VARCHAR)", "42", "varchar"),
    R("json", f"{J}#json_format", "CAST(JSON 'true' AS VARCHAR)", "true", "varchar"),
    R("json", f"{J}#json_parse", "json_parse('[1, 2, 3]')", "[1,2,3]"),
    R("json", f"{J}#json_parse", "json_parse('\"abc\"')", '"abc"'),
    R("json", f"{J}#json_parse", "json_parse('not_json')", Fails("INVALID_FUNCTION_ARGUMENT")),
    R("json", f"{J}#json_parse", "json_parse('[\"a\": 1, \"b\": 2]')", '["a": 1, "b": 2]'),
    R("json", f"{J}#json_parse", "json_parse('42')", "42"),
    R("json", f"{J}#json_parse", "json_parse('true')", "true"),
    R("json", f"{J}#json_parse", "json_parse('null')", "null"),
    R("json", f"{J}#json_parse", "CAST('not_json' AS JSON)", '"not_json"'),
    R("json", f"{J}#json_parse", "CAST('[\"a\": 1, \"b\": 2]' AS JSON)", '"[\\"a\\": 1, \\"b\\": 2]"'),
    R("json", f"{J}#json_parse", "CAST('[1, 2, 3]' AS JSON)", '"[1, 2, 3]"'),
    R("json", f"{J}#json_parse", "CAST('\"abc\"' AS JSON)", '"\\"abc\\""'),
    R("json", f"{J}#json_parse", "CAST('42' AS JSON)", '"42"'),
    R("json", f"{J}#json_parse", "CAST('true' AS JSON)", '"true"'),
    R("json", f"{J}#json_parse", "CAST('null' AS JSON)", '"null"'),
    R("json", f"{J}#json_size", "json_size('{\"x\": {\"a\": 1, \"b\": 2}}', '$.x')", "2", "bigint"),
    R("json", f"{J}#json_size", "json_size('{\"x\": [1, 2, 3]}', '$.x')", "3", "bigint"),
    R("json", f"{J}#json_size", "json_size('{\"x\": {\"a\": 1, \"b\": 2}}', '$.x.a')", "0", "bigint"),
    # the JSON simplified accessor: SELECT j.* is JSON_QUERY(j, 'lax $.*' ...)
    R(
        "json",
        f"{J}#json-simplified-accessor",
        "SELECT j.* AS (payload) FROM (VALUES (CAST('{\"a\":1,\"b\":2}' AS JSON))) AS t(j)",
        [("[1,2]",)],
    ),
    # json_extract: the page's three paths, on a document holding them ("returns the result
    # as a JSON string")
    R("json", f"{J}#json_extract", "json_extract('{\"store\": {\"book\": [{\"author\": \"Nigel Rees\"}], \"book name\": 2}}', '$.store.book')", '[{"author":"Nigel Rees"}]'),
    R("json", f"{J}#json_extract", "json_extract('{\"store\": {\"book\": [{\"author\": \"Nigel Rees\"}], \"book name\": 2}}', '$.store[book]')", '[{"author":"Nigel Rees"}]'),
    R("json", f"{J}#json_extract", "json_extract('{\"store\": {\"book\": [{\"author\": \"Nigel Rees\"}], \"book name\": 2}}', '$.store[\"book name\"]')", "2"),
    # -- aggregates (functions/aggregate.html) -------------------------------------------------------
    E("aggregates", f"{AG}#count_if", "count_if(false)", "0", "bigint"),
    E("aggregates", f"{AG}#count", "count(NULL)", "0", "bigint"),
    E("aggregates", f"{AG}#sum", "sum(CAST(NULL AS integer))", None, "bigint"),
    E("aggregates", AG, "SELECT sum(x) FROM (VALUES 1, 2) AS t(x) WHERE x > 5", [(None,)]),
    E("aggregates", AG, "SELECT count(x) FROM (VALUES 1, 2) AS t(x) WHERE x > 5", [("0",)]),
    E("aggregates", f"{AG}#bool_and", "SELECT bool_and(x) FROM (VALUES true, false) AS t(x)", [("false",)]),
    E("aggregates", f"{AG}#bool_or", "SELECT bool_or(x) FROM (VALUES true, false) AS t(x)", [("true",)]),
    E("aggregates", f"{AG}#max", "SELECT max(x), min(x) FROM (VALUES 3, 1, 2) AS t(x)", [("3", "1")]),
    E(
        "aggregates",
        f"{AG}#filtering-during-aggregation",
        "SELECT k, count(*) FILTER (WHERE v > 4) FROM (VALUES ('a', 5), ('a', 1), ('b', 1)) AS t(k, v) GROUP BY k",
        [("a", "1"), ("b", "0")],
    ),
    E(
        "aggregates",
        f"{AG}#listagg",
        "SELECT listagg(value, ',') WITHIN GROUP (ORDER BY value) csv_value FROM (VALUES 'a', 'c', 'b') t(value)",
        [("a,b,c",)],
    ),
    E(
        "aggregates",
        f"{AG}#listagg",
        "SELECT id, listagg(value, ',') WITHIN GROUP (ORDER BY o) csv_value FROM (VALUES (100, 1, 'a'), (200, 3, 'c'), (200, 2, 'b')) t(id, o, value) GROUP BY id ORDER BY id",
        [("100", "a"), ("200", "b,c")],
    ),
    E("aggregates", f"{AG}#max_by", "SELECT max_by(x, y) FROM (VALUES ('a', 1), ('b', 2)) AS t(x, y)", [("b",)]),
    R("aggregates", f"{AG}#approx_distinct", "SELECT approx_distinct(x) FROM (VALUES 1, 1, 2) AS t(x)", [("2",)]),
    E(
        "aggregates",
        f"{AG}#array_agg",
        "SELECT array_agg(x ORDER BY x DESC) FROM (VALUES 1, 3, 2) AS t(x)",
        [("[3, 2, 1]",)],
    ),
    # The aggregate page's listagg examples ("If separator is not specified, the empty string
    # will be used"); the FILTER one uses digit separators (10_000_000, language/types.html).
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
    E(
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
    # reduce_agg: the page's two examples
    R(
        "aggregates",
        f"{AG}#reduce_agg",
        "SELECT id, reduce_agg(value, 0, (a, b) -> a + b, (a, b) -> a + b) FROM (VALUES (1, 3), (1, 4), (1, 5), (2, 6), (2, 7)) AS t(id, value) GROUP BY id",
        [("1", "12"), ("2", "13")],
    ),
    R(
        "aggregates",
        f"{AG}#reduce_agg",
        "SELECT id, reduce_agg(value, 1, (a, b) -> a * b, (a, b) -> a * b) FROM (VALUES (1, 3), (1, 4), (1, 5), (2, 6), (2, 7)) AS t(id, value) GROUP BY id",
        [("1", "60"), ("2", "42")],
    ),
    # -- window functions (functions/window.html) ----------------------------------------------
    E(
        "window",
        f"{W}#rank",
        "SELECT v, rank() OVER (ORDER BY v) FROM (VALUES 10, 20, 20, 30) AS t(v)",
        [("10", "1"), ("20", "2"), ("20", "2"), ("30", "4")],
    ),
    E(
        "window",
        f"{W}#dense_rank",
        "SELECT v, dense_rank() OVER (ORDER BY v) FROM (VALUES 10, 20, 20, 30) AS t(v)",
        [("10", "1"), ("20", "2"), ("20", "2"), ("30", "3")],
    ),
    E(
        "window",
        f"{W}#row_number",
        "SELECT k, v, row_number() OVER (PARTITION BY k ORDER BY v) FROM (VALUES ('a', 2), ('a', 1), ('b', 5)) AS t(k, v)",
        [("a", "1", "1"), ("a", "2", "2"), ("b", "5", "1")],
    ),
    # "with 6 rows and 4 buckets, the bucket values would be as follows: 1 1 2 2 3 4"
    E(
        "window",
        f"{W}#ntile",
        "SELECT v, ntile(4) OVER (ORDER BY v) FROM (VALUES 1, 2, 3, 4, 5, 6) AS t(v)",
        [("1", "1"), ("2", "1"), ("3", "2"), ("4", "2"), ("5", "3"), ("6", "4")],
    ),
    # percent_rank is (r - 1) / (n - 1); cume_dist is rows preceding or peer / rows
    E(
        "window",
        f"{W}#percent_rank",
        "SELECT v, percent_rank() OVER (ORDER BY v) FROM (VALUES 10, 20, 20, 30, 40) AS t(v)",
        [("10", "0.0"), ("20", "0.25"), ("20", "0.25"), ("30", "0.75"), ("40", "1.0")],
    ),
    E(
        "window",
        f"{W}#cume_dist",
        "SELECT v, cume_dist() OVER (ORDER BY v) FROM (VALUES 10, 20, 20, 30) AS t(v)",
        [("10", "0.25"), ("20", "0.75"), ("20", "0.75"), ("30", "1.0")],
    ),
    E(
        "window",
        f"{W}#lag",
        "SELECT v, lag(v) OVER (ORDER BY v), lead(v, 1, 0) OVER (ORDER BY v) FROM (VALUES 1, 2, 3) AS t(v)",
        [("1", None, "2"), ("2", "1", "3"), ("3", "2", "0")],
    ),
    E(
        "window",
        f"{W}#first_value",
        "SELECT v, first_value(v) OVER (ORDER BY v) FROM (VALUES 1, 2) AS t(v)",
        [("1", "1"), ("2", "1")],
    ),
    # aggregate as a window function: the default frame ends at the current row's last peer
    E(
        "window",
        f"{W}#aggregate-functions",
        "SELECT clerk, orderdate, sum(totalprice) OVER (PARTITION BY clerk ORDER BY orderdate) FROM (VALUES ('a', 1, 10), ('a', 2, 5), ('a', 2, 1), ('b', 1, 7)) AS orders (clerk, orderdate, totalprice)",
        [("a", "1", "10"), ("a", "2", "16"), ("a", "2", "16"), ("b", "1", "7")],
    ),
    E(
        "window",
        f"{SEL}#window-clause",
        "SELECT v, rank() OVER w FROM (VALUES 10, 20, 20) AS t(v) WINDOW w AS (ORDER BY v DESC)",
        [("20", "1"), ("20", "1"), ("10", "3")],
    ),
    # The window page's rules on small inputs: "Offsets start at 0, which is the current
    # row"; IGNORE NULLS excludes the rows where x is null, "if x is null for all rows ...
    # null is returned"; last_value over the default frame, which "contains all rows from
    # the start of the partition up to the last peer of the current row" (select page);
    # ntile's remainder "distributed one per bucket, starting with the first bucket".
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
    # -- grouping sets (sql/select.html#complex-grouping-operations) ------------------------------
    E(
        "grouping",
        f"{SEL}#grouping-sets",
        f"WITH {SHIPPING} SELECT origin_state, origin_zip, destination_state, sum(package_weight) FROM shipping "
        "GROUP BY GROUPING SETS ((origin_state), (origin_state, origin_zip), (destination_state))",
        [
            ("New Jersey", None, None, "225"), ("California", None, None, "1397"),
            ("New York", None, None, "3"), ("California", "90210", None, "1337"),
            ("California", "94131", None, "60"), ("New Jersey", "7081", None, "225"),
            ("New York", "10002", None, "3"), (None, None, "Colorado", "5"),
            (None, None, "New Jersey", "58"), (None, None, "Connecticut", "1562"),
        ],
    ),
    E(
        "grouping",
        f"{SEL}#cube",
        f"WITH {SHIPPING} SELECT origin_state, destination_state, sum(package_weight) FROM shipping "
        "GROUP BY CUBE (origin_state, destination_state)",
        [
            ("California", "New Jersey", "55"), ("California", "Colorado", "5"),
            ("New York", "New Jersey", "3"), ("New Jersey", "Connecticut", "225"),
            ("California", "Connecticut", "1337"), ("California", None, "1397"),
            ("New York", None, "3"), ("New Jersey", None, "225"), (None, "New Jersey", "58"),
            (None, "Connecticut", "1562"), (None, "Colorado", "5"), (None, None, "1625"),
        ],
    ),
    E(
        "grouping",
        f"{SEL}#rollup",
        f"WITH {SHIPPING} SELECT origin_state, origin_zip, sum(package_weight) FROM shipping "
        "GROUP BY ROLLUP (origin_state, origin_zip)",
        [
            ("California", "94131", "60"), ("California", "90210", "1337"),
            ("New Jersey", "7081", "225"), ("New York", "10002", "3"),
            ("California", None, "1397"), ("New York", None, "3"), ("New Jersey", None, "225"),
            (None, None, "1625"),
        ],
    ),
    E(
        "grouping",
        f"{SEL}#combining-multiple-grouping-expressions",
        f"WITH {SHIPPING} SELECT origin_state, destination_state, origin_zip, sum(package_weight) FROM shipping "
        "GROUP BY GROUPING SETS ((origin_state, destination_state)), ROLLUP (origin_zip)",
        [
            ("New York", "New Jersey", "10002", "3"), ("California", "New Jersey", "94131", "55"),
            ("New Jersey", "Connecticut", "7081", "225"), ("California", "Connecticut", "90210", "1337"),
            ("California", "Colorado", "94131", "5"), ("New York", "New Jersey", None, "3"),
            ("New Jersey", "Connecticut", None, "225"), ("California", "Colorado", None, "5"),
            ("California", "Connecticut", None, "1337"), ("California", "New Jersey", None, "55"),
        ],
    ),
    E(
        "grouping",
        f"{SEL}#grouping-operation",
        f"WITH {SHIPPING} SELECT origin_state, origin_zip, destination_state, sum(package_weight), "
        "grouping(origin_state, origin_zip, destination_state) FROM shipping "
        "GROUP BY GROUPING SETS ((origin_state), (origin_state, origin_zip), (destination_state))",
        [
            ("California", None, None, "1397", "3"), ("New Jersey", None, None, "225", "3"),
            ("New York", None, None, "3", "3"), ("California", "94131", None, "60", "1"),
            ("New Jersey", "7081", None, "225", "1"), ("California", "90210", None, "1337", "1"),
            ("New York", "10002", None, "3", "1"), (None, None, "New Jersey", "58", "6"),
            (None, None, "Connecticut", "1562", "6"), (None, None, "Colorado", "5", "6"),
        ],
    ),
]  # fmt: skip


def _rows_on(page: str) -> list[tuple]:
    return next(e.doc for e in EXAMPLES if e.page == page)


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
EXAMPLES += [E("grouping", page, sql, _rows_on(page)) for page, sql in EQUIVALENT_GROUPINGS]
# GROUP BY ALL / DISTINCT before several grouping elements ("cross-product semantics";
# ALL keeps duplicate grouping sets, DISTINCT generates "only unique grouping sets") and
# GROUP BY AUTO ("any column in the SELECT list that is not part of an aggregate function
# is implicitly treated as a grouping column"), on the page's shipping table. The rows of
# each grouping set are those of the page's tables: (origin_state, destination_state,
# origin_zip) from the combining example, (origin_state, origin_zip) from ROLLUP's, the
# others from CUBE's; columns: origin_state, destination_state, origin_zip, sum.
_STATE_DEST_ZIP = [
    ("New York", "New Jersey", "10002", "3"), ("California", "New Jersey", "94131", "55"),
    ("New Jersey", "Connecticut", "7081", "225"), ("California", "Connecticut", "90210", "1337"),
    ("California", "Colorado", "94131", "5"),
]  # fmt: skip
_STATE_ZIP = [
    ("California", None, "94131", "60"), ("California", None, "90210", "1337"),
    ("New Jersey", None, "7081", "225"), ("New York", None, "10002", "3"),
]  # fmt: skip
_STATE_DEST = [
    ("California", "New Jersey", None, "55"), ("California", "Colorado", None, "5"),
    ("New York", "New Jersey", None, "3"), ("New Jersey", "Connecticut", None, "225"),
    ("California", "Connecticut", None, "1337"),
]  # fmt: skip
_STATE = [
    ("California", None, None, "1397"),
    ("New York", None, None, "3"),
    ("New Jersey", None, None, "225"),
]
_DEST = [
    (None, "New Jersey", None, "58"),
    (None, "Connecticut", None, "1562"),
    (None, "Colorado", None, "5"),
]
_TOTAL = [(None, None, None, "1625")]
_ALL_SETS = (
    "(origin_state, destination_state, origin_zip), (origin_state, origin_zip), "
    "(origin_state, destination_state, origin_zip), (origin_state, origin_zip), "
    "(origin_state, destination_state), (origin_state), (origin_state, destination_state), "
    "(origin_state), (origin_state, destination_state), (origin_state), (destination_state), ()"
)
_DISTINCT_SETS = (
    "(origin_state, destination_state, origin_zip), (origin_state, origin_zip), "
    "(origin_state, destination_state), (origin_state), (destination_state), ()"
)
_ALL_ROWS = 2 * _STATE_DEST_ZIP + 2 * _STATE_ZIP + 3 * _STATE_DEST + 3 * _STATE + _DEST + _TOTAL
_DISTINCT_ROWS = _STATE_DEST_ZIP + _STATE_ZIP + _STATE_DEST + _STATE + _DEST + _TOTAL
_FOUR = "SELECT origin_state, destination_state, origin_zip, sum(package_weight) FROM shipping"
_QUANTIFIED = f"{SEL}#combining-multiple-grouping-expressions"
EXAMPLES += [
    E("grouping", _QUANTIFIED, f"WITH {SHIPPING} {_FOUR} GROUP BY ALL CUBE (origin_state, destination_state), ROLLUP (origin_state, origin_zip)", _ALL_ROWS),
    E("grouping", _QUANTIFIED, f"WITH {SHIPPING} {_FOUR} GROUP BY GROUPING SETS ({_ALL_SETS})", _ALL_ROWS),
    E("grouping", _QUANTIFIED, f"WITH {SHIPPING} {_FOUR} GROUP BY DISTINCT CUBE (origin_state, destination_state), ROLLUP (origin_state, origin_zip)", _DISTINCT_ROWS),
    E("grouping", _QUANTIFIED, f"WITH {SHIPPING} {_FOUR} GROUP BY GROUPING SETS ({_DISTINCT_SETS})", _DISTINCT_ROWS),
    E("grouping", f"{SEL}#auto", f"WITH {SHIPPING} SELECT origin_state, sum(package_weight) FROM shipping GROUP BY AUTO", [("California", "1397"), ("New Jersey", "225"), ("New York", "3")]),
]  # fmt: skip
