"""Athena (Trino) SQL to DuckDB SQL, failing where and how Athena fails.

The query is parsed as Trino, ``?`` placeholders are bound on the AST, table
references are resolved through the local Glue catalog, columns are checked with
sqlglot's qualifier, and types are annotated before DuckDB SQL is generated (without
types, Trino's integer ``/`` would become DuckDB's float division).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.dialects.trino import Trino
from sqlglot.errors import OptimizeError, ParseError, TokenError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema
from sqlglot.tokens import TokenType

from lakehouse.local import athena_format, athena_trino, athena_typeof
from lakehouse.local.catalog import CatalogError, LocalGlueCatalog

ATHENA_CATALOG = "awsdatacatalog"
USER_ERROR = 2  # AthenaError.ErrorCategory (1 system, 2 user, 3 other)
SYSTEM_ERROR = 1
QUERY_ANALYSIS_ERROR = 1006  # ErrorType Athena reports for a query it cannot analyse
USER_RUNTIME_ERROR = 1000  # "User error", e.g. division by zero or a bad cast
EXACT_NUMERIC = (*exp.DataType.INTEGER_TYPES, exp.DataType.Type.DECIMAL)
DIVISION_BY_ZERO = "DIVISION_BY_ZERO"
INVALID_CAST = "INVALID_CAST_ARGUMENT"
UNNAMED_OUTPUT = "__athena_unnamed_output"
NOT_EMULATED = "NOT_SUPPORTED"
# Functions (sqlglot expression classes, as parsed from Trino) whose DuckDB translation
# answers as Trino does: value, NULL-ness, type and error-vs-success. Each is proven by
# cases from the Trino documentation in tests/unit/local/test_trino_conformance.py; a
# function not listed here fails the query (faithful or loud, never silently different).
EMULATED_FUNCTIONS = frozenset(
    {
        # logical, conditional and comparison (greatest/least: NULL if any is NULL)
        "And", "Or", "Case", "If", "Coalesce", "Nullif", "Cast", "TryCast", "Try",
        "Greatest", "Least",
        # typeof: where the Trino type is certain (athena_typeof); format: %s, %d, %f of
        # the argument types Java formats as DuckDB can (athena_format)
        "Typeof", "Format",
        # aggregates (avg of a decimal is refused separately) and grouping sets
        "Count", "Sum", "Min", "Max", "Avg", "CountIf", "ArrayAgg",
        "LogicalAnd", "LogicalOr", "Grouping", "GroupConcat", "ArgMax", "ArgMin",
        # math (rounding of decimals and integers: athena_trino._rounding)
        "Abs", "Round", "Ceil", "Floor", "Sign",
        # strings (rewritten in athena_trino where DuckDB differs)
        "Lower", "Upper", "Length", "Concat", "Reverse", "StartsWith", "EndsWith",
        "SplitPart", "StrPosition", "Substring", "Replace", "Trim", "Translate", "Chr",
        # regular expressions (literal patterns, printable ASCII input: athena_trino)
        "RegexpLike", "RegexpExtract", "RegexpExtractAll", "RegexpReplace",
        "RegexpCount", "RegexpSplit",
        # date and time
        "DateAdd", "DateTrunc", "TimestampTrunc", "Year", "Month", "Day", "DayOfMonth",
        "DateDiff", "Extract", "DayOfWeekIso", "DayOfYear", "WeekOfYear", "Quarter",
        "Hour", "Minute", "Second", "FromISO8601Date",
        # arrays and maps (the subscript operator [] and element_at are rewritten in
        # athena_trino._subscript); UNNEST of arrays, several zipped, WITH ORDINALITY
        "Array", "ArraySort", "ArrayToString", "ArraySize", "ArrayContains",
        "GenerateSeries", "Unnest", "Map",
        # JSON (literal $.key[index] paths: athena_trino._json_extract_scalar)
        "JSONExtractScalar",
        # window functions
        "RowNumber", "Rank", "DenseRank", "Lag", "Lead", "Ntile", "CumeDist",
        "PercentRank", "FirstValue", "LastValue", "NthValue",
    }
)  # fmt: skip


class QueryFailure(Exception):
    """The query ends FAILED; ``reason`` is its StateChangeReason, e.g.
    ``TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.silver.nope' does not exist``."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        line_col: tuple[int, int] | None = None,
        category: int = USER_ERROR,
        error_type: int = QUERY_ANALYSIS_ERROR,
    ) -> None:
        where = f"line {line_col[0]}:{line_col[1]}: " if line_col else ""
        self.message = f"{where}{message}"
        self.reason = f"{code}: {self.message}"
        self.category = category
        self.error_type = error_type
        super().__init__(self.reason)


@dataclass(frozen=True)
class TranslatedQuery:
    duckdb_sql: str
    tables: dict[tuple[str, str], dict]  # (database, table) -> Glue table the query reads
    date_columns: frozenset[int]  # outputs Trino types as DATE (DuckDB may give TIMESTAMP)


def _positioned_placeholder(parser: Trino.Parser) -> exp.Placeholder:
    # ExecutionParameters bind in text order; the AST keeps no positions for `?`, so the
    # parser records where each one stood (``_prev`` is the `?` token just consumed).
    placeholder = exp.Placeholder()
    placeholder.meta["start"] = parser._prev.start
    return placeholder


class _TrinoWithPlaceholderPositions(Trino):
    # Keep every subscript index as written (1-based): sqlglot would otherwise shift
    # integer literals to 0-based only where it guesses an array at parse time, a map
    # column's `m[1]` included. athena_trino._subscript reads the index as written.
    INDEX_OFFSET = 0

    def to_json_path(self, path: exp.Expression | None) -> exp.Expression | None:
        # sqlglot reads a JSON path literal leniently ('a' as '$.a'); keep the text as
        # written for athena_trino._json_path_steps.
        parsed = super().to_json_path(path)
        if isinstance(path, exp.Literal) and path.is_string and parsed is not path:
            parsed.meta[athena_trino.JSON_PATH_TEXT] = path.name
        return parsed

    class Parser(Trino.Parser):
        PLACEHOLDER_PARSERS = {
            **Trino.Parser.PLACEHOLDER_PARSERS,
            TokenType.PLACEHOLDER: _positioned_placeholder,
        }


def line_col(sql: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, as Athena reports positions."""
    line = sql.count("\n", 0, offset) + 1
    return line, offset - (sql.rfind("\n", 0, offset) + 1) + 1


OCTAL = re.compile(r"[oO][0-7]+(?:_[0-7]+)*")
BINARY = re.compile(r"[bB][01]+(?:_[01]+)*")
DIGIT_GROUPS = re.compile(r"_\d+(?:_\d+)*")


def _trino_number_literals(sql: str) -> str:
    """Trino's integer literals in hexadecimal (``0x0A``), octal (``0o40``) and binary
    (``0b1001``), and digits grouped with underscores (``10_000_000``,
    ``123_456.789_123``): https://trino.io/docs/current/language/types.html#integer-data-types.
    sqlglot reads ``0x0A`` as the varbinary ``X'0A'`` and ``0o40`` as ``0 AS o40``; each
    becomes the plain decimal literal it denotes (typed as Trino types it: integer, bigint
    beyond 2^31 - 1, decimal with a point) before parsing."""
    try:
        tokens = _TrinoWithPlaceholderPositions().tokenize(sql)
    except TokenError:
        return sql  # the parser reports it
    edits: list[tuple[int, int, str]] = []
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        raw = sql[token.start : token.end + 1]
        if token.token_type == TokenType.HEX_STRING and raw[:2].lower() == "0x":
            edits.append((token.start, token.end + 1, str(int(raw[2:], 16))))
            continue
        if token.token_type != TokenType.NUMBER or following is None:
            continue
        if following.token_type != TokenType.VAR or following.start != token.end + 1:
            continue  # the word after the number is an alias: `1 AS a`, `1 a`
        word = sql[following.start : following.end + 1]
        if raw == "0" and OCTAL.fullmatch(word):
            text = str(int(word[1:].replace("_", ""), 8))
        elif raw == "0" and BINARY.fullmatch(word):
            text = str(int(word[1:].replace("_", ""), 2))
        elif DIGIT_GROUPS.fullmatch(word) and raw.isdigit():
            text = raw + word.replace("_", "")
        else:
            continue
        edits.append((token.start, following.end + 1, text))
    for start, end, text in reversed(edits):
        sql = sql[:start] + text + sql[end:]
    return sql


def parse_single_statement(sql: str) -> exp.Expression:
    sql = _trino_number_literals(sql)
    try:
        statements = [s for s in sqlglot.parse(sql, dialect=_TrinoWithPlaceholderPositions) if s]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        position = None
        if "line" in first:
            position = (first["line"], first["col"] - len(first.get("highlight") or " ") + 1)
        description = first.get("description", str(exc))
        raise QueryFailure("SYNTAX_ERROR", description, line_col=position) from exc
    except TokenError as exc:
        raise QueryFailure("SYNTAX_ERROR", str(exc)) from exc
    if len(statements) != 1:
        raise QueryFailure("SYNTAX_ERROR", f"Only one sql statement is allowed. Got: {sql}")
    return statements[0]


def _bind_parameters(tree: exp.Expression, parameters: list[str]) -> None:
    """Athena substitutes each ``?`` with its parameter text read as SQL (``'2026-01-05'``,
    ``DATE '2026-01-05'``, ``42``), in the order the placeholders appear."""
    placeholders = sorted(tree.find_all(exp.Placeholder), key=lambda p: p.meta.get("start", 0))
    if len(placeholders) != len(parameters):
        message = (
            f"Incorrect number of parameters: expected {len(placeholders)} "
            f"but found {len(parameters)}"
        )
        raise QueryFailure("INVALID_PARAMETER_USAGE", message)
    for placeholder, text in zip(placeholders, parameters, strict=True):
        try:
            value = sqlglot.parse_one(
                _trino_number_literals(text), read=_TrinoWithPlaceholderPositions
            )
        except (ParseError, TokenError) as exc:
            raise QueryFailure("SYNTAX_ERROR", f"Invalid parameter value: {text}") from exc
        placeholder.replace(value)


def _start(node: exp.Expression) -> int:
    parts = [node.args.get(k) for k in ("catalog", "db", "this")]
    starts = [p.meta["start"] for p in parts if isinstance(p, exp.Identifier) and "start" in p.meta]
    return min(starts, default=0)


def _resolve_tables(
    tree: exp.Expression, sql: str, context: tuple[str, str], catalog: LocalGlueCatalog
) -> dict[tuple[str, str], dict]:
    """Looks every table reference up in the catalog (first missing one fails, as in
    Athena) and rewrites it to ``<database>.<table>``, the DuckDB view built for it."""
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    found: dict[tuple[str, str], dict] = {}
    for table in sorted(tree.find_all(exp.Table), key=_start):
        if not isinstance(table.this, exp.Identifier):
            # read_csv, read_parquet, TABLE(...): Athena reads catalog tables (and
            # UNNEST, VALUES), never files named in a query
            called = table.this
            if isinstance(called, exp.Anonymous) and str(called.name).lower() == "table":
                called = called.expressions[0] if called.expressions else called  # TABLE(f(..))
            name = called.sql(dialect="trino").split("(")[0].strip().lower()
            found = re.search(rf"\b{re.escape(name)}\s*\(", sql, re.IGNORECASE)
            position = line_col(sql, found.start()) if found else None
            message = f"Table function '{name}' not registered"
            raise QueryFailure("FUNCTION_NOT_FOUND", message, line_col=position)
        name = table.name.lower()
        if not table.args.get("db") and name in ctes:
            continue
        position = line_col(sql, _start(table))
        catalog_name = (table.catalog or context[0]).lower()
        if catalog_name != ATHENA_CATALOG:
            message = f"Catalog '{catalog_name}' does not exist"
            raise QueryFailure("CATALOG_NOT_FOUND", message, line_col=position)
        database = (table.db or context[1]).lower()
        try:
            definition = catalog.get_table(DatabaseName=database, Name=name)["Table"]
        except CatalogError:
            try:
                catalog.get_database(Name=database)
            except CatalogError:
                message = f"Schema '{database}' does not exist"
                raise QueryFailure("SCHEMA_NOT_FOUND", message, line_col=position) from None
            message = f"Table '{ATHENA_CATALOG}.{database}.{name}' does not exist"
            raise QueryFailure("TABLE_NOT_FOUND", message, line_col=position) from None
        if definition.get("TableType") == "VIRTUAL_VIEW":
            found.update(_expand_view(table, definition, catalog))
            continue
        found[(database, name)] = definition
        table.set("catalog", None)
        table.set("db", exp.to_identifier(database))
        table.set("this", exp.to_identifier(name))
    return found


def _expand_view(
    table: exp.Table, definition: dict, catalog: LocalGlueCatalog
) -> dict[tuple[str, str], dict]:
    """Replace a reference to an Athena view by its query, as Trino expands a view: the
    view's Trino SQL (from its ``/* Presto View */`` text), its tables resolved in the
    view's own schema. Returns the tables the view reads."""
    from lakehouse.contracts.catalog import decode_presto_view

    spec = decode_presto_view(definition["ViewOriginalText"])
    query = parse_single_statement(spec["originalSql"])
    tables = _resolve_tables(query, spec["originalSql"], (ATHENA_CATALOG, spec["schema"]), catalog)
    alias = exp.TableAlias(this=exp.to_identifier(table.alias or table.name))
    table.replace(exp.Subquery(this=query, alias=alias))
    return tables


def _schema(tables: dict[tuple[str, str], dict]) -> MappingSchema:
    mapping: dict[str, dict[str, dict[str, str]]] = {}
    for (database, name), table in tables.items():
        columns = table["StorageDescriptor"]["Columns"] + table["PartitionKeys"]
        mapping.setdefault(database, {})[name] = {c["Name"]: c["Type"] for c in columns}
    return MappingSchema(mapping, dialect="hive")  # Glue types are Hive type strings


def _qualified(tree: exp.Expression, sql: str, schema: MappingSchema) -> exp.Expression | None:
    """The tree with every column resolved; COLUMN_NOT_FOUND like Athena for unknown ones.
    None when sqlglot cannot qualify a valid construct: the query then runs unqualified."""
    try:
        return qualify(tree.copy(), schema=schema, dialect="trino", validate_qualify_columns=True)
    except OptimizeError as exc:
        match = re.search(
            r"Column '(.+?)' could not be resolved(?: for table: '(.+?)')?|Unknown column: (\S+)",
            str(exc),
        )
        if match is None:
            return None
        name = (match.group(1) or match.group(3)).strip('"')
        reference = f"{match.group(2)}.{name}" if match.group(2) else name
        columns = [c for c in tree.find_all(exp.Column) if c.name.lower() == name.lower()]
        starts = [c.this.meta["start"] for c in columns if "start" in c.this.meta]
        position = line_col(sql, min(starts)) if starts else None
        message = (
            f"Column '{reference}' cannot be resolved or requester is not authorized "
            "to access requested resources"
        )
        raise QueryFailure("COLUMN_NOT_FOUND", message, line_col=position) from None


# Operators whose DuckDB answers differ from Trino's: AT TIME ZONE returns a timestamp
# with time zone in Trino. (The subscript operator and element_at: athena_trino._subscript.)
NOT_EMULATED_OPERATORS_NAMES = {
    exp.AtTimeZone: "AT TIME ZONE",
    # expressions sqlglot does not model as functions, yet DuckDB evaluates its own way
    exp.JSONValue: "json_value()",
    exp.BitwiseAnd: "bitwise_and()",
    exp.BitwiseOr: "bitwise_or()",
    exp.BitwiseXor: "bitwise_xor()",
    exp.BitwiseNot: "bitwise_not()",
    exp.BitwiseLeftShift: "bitwise_left_shift()",
    exp.BitwiseRightShift: "bitwise_right_shift()",
    exp.TableSample: "TABLESAMPLE",
    exp.MatchRecognize: "MATCH_RECOGNIZE",
    exp.Pivot: "PIVOT",
    exp.Slice: "slice()",
    exp.Overlaps: "OVERLAPS",
    exp.SimilarTo: "SIMILAR TO",
    exp.Glob: "GLOB",
    exp.ILike: "ILIKE",
}
NOT_EMULATED_OPERATORS = tuple(NOT_EMULATED_OPERATORS_NAMES)


def _function_name(node: exp.Func) -> str:
    """The name a user wrote (or Trino prints) for a function node."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql(dialect="trino").split("(")[0].strip().lower() or type(node).__name__


def _not_emulated(construct: str) -> QueryFailure:
    message = (
        f"{construct} is not emulated by the local Athena, which refuses what it cannot "
        "answer exactly as Athena does (lakehouse/local/README.md lists what it emulates)"
    )
    return QueryFailure(NOT_EMULATED, message)


def _refuse_unemulated(tree: exp.Expression) -> None:
    """Fail on the first construct the local engine would answer differently from Trino:
    a function outside :data:`EMULATED_FUNCTIONS`; division or avg of a decimal (Trino
    keeps a decimal with its own precision and rounding, DuckDB gives a double); a
    DECIMAL literal's type is fixed by :func:`_type_decimal_literals` first."""
    for node in tree.walk():
        if isinstance(node, exp.Func) and type(node).__name__ not in EMULATED_FUNCTIONS:
            raise _not_emulated(f"function {_function_name(node)}()")
        if isinstance(node, NOT_EMULATED_OPERATORS):
            raise _not_emulated(NOT_EMULATED_OPERATORS_NAMES[type(node)])
        if isinstance(node, exp.Cast):
            _refuse_unemulated_cast(node)
        if isinstance(node, exp.Div | exp.Mod | exp.Avg):
            operands = [node.this] if isinstance(node, exp.Avg) else [node.this, node.expression]
            decimal = exp.DataType.Type.DECIMAL
            if any(o.type is not None and o.type.is_type(decimal) for o in operands):
                what = "avg() of a decimal" if isinstance(node, exp.Avg) else "decimal division"
                raise _not_emulated(what)


# TIMESTAMP 'yyyy-mm-dd[ hh:mm[:ss[.fff]]][ zone]': Trino types it timestamp(p) with p
# the fraction digits written, and keeps the zone written
# (https://trino.io/docs/current/language/types.html#timestamp-p).
TIMESTAMP_LITERAL = re.compile(
    r"\s*\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.(?P<fraction>\d*))?)?)?"
    r"\s*(?P<zone>\S.*)?"
)
UTC_ZONES = {"UTC", "Z", "+00:00", "UTC+00:00", "GMT"}
TIMESTAMP_TYPES = (exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPTZ)
APPROXIMATE_TYPES = (exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT)


def _text_of(data_type: exp.DataType) -> bool:
    """varchar, or an array/map of varchar."""
    if data_type.is_type(*exp.DataType.TEXT_TYPES):
        return True
    return any(isinstance(e, exp.DataType) and _text_of(e) for e in data_type.expressions)


PRINTED_DIFFERENTLY = (*APPROXIMATE_TYPES, *TIMESTAMP_TYPES, exp.DataType.Type.TIMESTAMP_MS)


def _printed_differently(data_type: exp.DataType) -> bool:
    if data_type.is_type(*PRINTED_DIFFERENTLY):
        return True
    return any(
        isinstance(e, exp.DataType) and _printed_differently(e) for e in data_type.expressions
    )


def _refuse_unemulated_cast(cast: exp.Cast) -> None:
    """Casts to or from JSON (Trino's JSON type has its own casts: a varchar becomes a
    JSON string, JSON 'null' becomes NULL); to varchar(n) or char(n) (truncated, padded);
    of doubles, reals and timestamps to varchar; timestamps above millisecond precision
    (the local engine prints milliseconds, as for Glue tables' timestamp(3)); timestamp
    literals in a zone other than UTC (printed in their own zone by Trino)."""
    source, target = cast.this.type, cast.to
    if target.is_type(exp.DataType.Type.JSON) or (
        source is not None and source.is_type(exp.DataType.Type.JSON)
    ):
        raise _not_emulated("CAST to or from JSON")
    if target.is_type(exp.DataType.Type.CHAR, exp.DataType.Type.NCHAR) or (
        target.is_type(*exp.DataType.TEXT_TYPES) and target.expressions
    ):
        raise _not_emulated(f"CAST to {target.sql(dialect='trino').lower()}")
    if source is not None and _text_of(target) and _printed_differently(source):
        # Trino prints doubles in scientific notation (SQL standard, Trino PR 10211) and
        # timestamps with their declared fraction digits; DuckDB prints both its own way
        raise _not_emulated(f"CAST of {source.sql(dialect='trino').lower()} to varchar")
    if target.is_type(exp.DataType.Type.TIMETZ):
        # Trino keeps the offset written (TIME '01:02:03.456 -08:00' is 01:02:03.456-08:00);
        # DuckDB's TIMETZ prints it without (language/types.html#time-with-time-zone)
        raise _not_emulated("time with time zone")
    if not target.is_type(*TIMESTAMP_TYPES):
        return
    if target.expressions and int(target.expressions[0].this.this) > 3:
        raise _not_emulated(f"{target.sql(dialect='trino').lower()} above millisecond precision")
    literal = cast.this
    if isinstance(literal, exp.Literal) and literal.is_string:
        match = TIMESTAMP_LITERAL.fullmatch(literal.this)
        if match and len(match.group("fraction") or "") > 3:
            raise _not_emulated("a timestamp literal above millisecond precision")
        if match and match.group("zone") and match.group("zone").strip().upper() not in UTC_ZONES:
            raise _not_emulated("a timestamp literal in a zone other than UTC")


def _type_number_literals(tree: exp.Expression) -> None:
    """``1.5`` is a DECIMAL(2,1) in Trino (a number with a point and no exponent is a
    decimal literal: https://trino.io/docs/current/language/types.html#decimal), which
    sqlglot would type as a double: it becomes ``DECIMAL '1.5'`` before typing. An integer
    literal beyond the bigint range fails as in Trino's parser."""
    for literal in list(tree.find_all(exp.Literal)):
        if literal.is_string:
            continue
        text = literal.this
        if re.fullmatch(r"\d*\.\d*", text) and text != ".":
            literal.replace(
                exp.Cast(this=exp.Literal.string(text), to=exp.DataType.build("decimal"))
            )
        elif re.fullmatch(r"\d+", text) and int(text) > 2**63:
            raise QueryFailure("INVALID_LITERAL", f"Invalid numeric literal: {text}")
        elif re.fullmatch(r"\d+", text) and int(text) == 2**63:
            parent = literal.parent
            if not isinstance(parent, exp.Neg):  # -9223372036854775808 is the bigint minimum
                raise QueryFailure("INVALID_LITERAL", f"Invalid numeric literal: {text}")


def _type_decimal_literals(tree: exp.Expression) -> None:
    """``DECIMAL '12.345'`` is a decimal(5,3) in Trino: precision and scale are the
    literal's digits (https://trino.io/docs/current/language/types.html#decimal).
    sqlglot reads it as a cast to bare DECIMAL, which DuckDB makes decimal(18,3)."""
    for cast in list(tree.find_all(exp.Cast)):
        target = cast.to
        literal = cast.this
        is_bare_decimal = target.is_type(exp.DataType.Type.DECIMAL) and not target.expressions
        if not (is_bare_decimal and isinstance(literal, exp.Literal) and literal.is_string):
            continue
        match = re.fullmatch(r"\s*[+-]?(\d*)(?:\.(\d*))?\s*", literal.this)
        if match is None or not (match.group(1) or match.group(2)):
            continue  # not a decimal literal: the cast fails as in Trino
        integer, fraction = match.group(1), match.group(2) or ""
        # every digit counts, leading and trailing zeros included
        precision = max(len(integer) + len(fraction), 1)
        if precision > 38:
            raise QueryFailure("INVALID_LITERAL", f"decimal literal {literal.this!r} is too large")
        cast.set("to", exp.DataType.build(f"decimal({precision},{len(fraction)})"))


def _failure_or_null(node: exp.Expression, text: str) -> exp.Expression:
    """The failure a guard raises: inside TRY(...) a NULL, as Trino's TRY turns division
    by zero and invalid casts into NULL (https://trino.io/docs/current/functions/conditional.html#try)."""
    if node.find_ancestor(exp.Try) is not None:
        return exp.Null()
    return exp.Anonymous(this="error", expressions=[exp.Literal.string(text)])


def _unwrap_try(tree: exp.Expression) -> None:
    """DuckDB's TRY refuses volatile functions, which the guards' ``error()`` calls are.
    Inside TRY the guards of errors Trino's TRY catches already give NULL; a TRY whose
    body still calls ``error()`` (a run-time refusal) runs without DuckDB's TRY, so the
    refusal stays loud. Other TRYs stay DuckDB's TRY (every run-time error is NULL)."""
    for node in list(tree.find_all(exp.Try)):
        calls = (str(c.name).lower() for c in node.find_all(exp.Anonymous))
        if "error" in calls:
            node.replace(node.this)


def _guard_division_by_zero(tree: exp.Expression) -> None:
    """Trino fails integer and decimal division by zero; DuckDB returns infinity. Wrap
    such divisors so DuckDB raises an error the executor reports as DIVISION_BY_ZERO."""
    for node in list(tree.find_all(exp.Div, exp.Mod)):
        divisor, dividend = node.expression, node.this
        exact = all(e.type and e.type.is_type(*EXACT_NUMERIC) for e in (divisor, dividend))
        is_literal = isinstance(divisor, exp.Literal) and not divisor.is_string
        is_nonzero_literal = is_literal and float(divisor.this) != 0
        if not exact or is_nonzero_literal:
            continue
        failure = _failure_or_null(node, DIVISION_BY_ZERO)
        guarded = exp.Case().when(divisor.copy().eq(0), failure).else_(divisor.copy())
        guarded.type = divisor.type
        node.set("expression", guarded)


INTEGER_WIDTHS = [
    exp.DataType.Type.TINYINT,
    exp.DataType.Type.SMALLINT,
    exp.DataType.Type.INT,
    exp.DataType.Type.BIGINT,
]


def _integer_division(tree: exp.Expression) -> None:
    """Trino's integer ``/`` truncates and has the wider operand's type (integer / integer
    is an integer: https://trino.io/docs/current/functions/math.html#mathematical-operators).
    sqlglot makes it ``CAST(TRUNC(a / b) AS BIGINT)``: a double division (inexact past
    2^53) typed bigint. DuckDB's ``//`` truncates integers exactly; the cast keeps the type."""
    for node in list(tree.find_all(exp.Div)):
        types = [o.type for o in (node.this, node.expression)]
        if not all(t is not None and t.this in INTEGER_WIDTHS for t in types):
            continue
        widest = max((t.this for t in types), key=INTEGER_WIDTHS.index)
        quotient = exp.IntDiv(this=node.this.copy(), expression=node.expression.copy())
        typed = exp.Cast(this=quotient, to=exp.DataType.build(widest))
        typed.type = exp.DataType.build(widest)
        node.replace(typed)


# The complete text Trino's cast from varchar accepts, per target type (DuckDB's casts
# are laxer: '2023-01-01 01:01:01' is a date there, '1.5' the integer 2). Text outside
# the pattern fails the cast (INVALID_CAST_ARGUMENT) for dates and integers.
STRICT_VARCHAR_CASTS = {
    exp.DataType.Type.DATE: r"\d{4}-\d{1,2}-\d{1,2}",
    **{t: r"[+-]?\d+" for t in INTEGER_WIDTHS},
}
# Text Trino's cast surely reads as DuckDB does; other text (Java's 'NaN', '1.5d',
# 'Infinity'; spellings of booleans; ISO 'T' timestamps) is refused when met, as the
# Trino versions behind Athena differ on it.
AGREED_VARCHAR_CASTS = {
    exp.DataType.Type.BOOLEAN: r"(?i)true|false",
    exp.DataType.Type.DOUBLE: r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?",
    exp.DataType.Type.FLOAT: r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?",
    exp.DataType.Type.DECIMAL: r"[+-]?(\d+\.?\d*|\.\d+)",
    exp.DataType.Type.TIMESTAMP: r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?",
}
APPROXIMATE = (exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT)


def _regexp_full_match(value: exp.Expression, pattern: str) -> exp.Expression:
    return exp.Anonymous(
        this="regexp_full_match", expressions=[value.copy(), exp.Literal.string(pattern)]
    )


def _guard_casts(tree: exp.Expression) -> None:
    """Casts whose DuckDB result differs from Trino's: a varchar that is not a complete
    value of the target type fails (``CAST``) or is NULL (``TRY_CAST``), as in Trino
    (https://trino.io/docs/current/functions/conversion.html); text DuckDB and Trino may
    read differently (padded with spaces, ``NaN``, ``yes``) fails as not emulated; a
    double cast to an integer type (Trino rounds its own way) is refused."""
    for node in list(tree.find_all(exp.Cast)):  # TryCast is a Cast too
        source, target = node.this.type, node.to
        if source is None:
            continue
        if source.this in APPROXIMATE and target.this in INTEGER_WIDTHS:
            raise _not_emulated(f"CAST of a double to {target.sql(dialect='trino')}")
        if not source.is_type(*exp.DataType.TEXT_TYPES):
            continue
        strict = STRICT_VARCHAR_CASTS.get(target.this)
        agreed = AGREED_VARCHAR_CASTS.get(target.this)
        if strict is None and agreed is None:
            continue
        value = node.this
        what = f"CAST of this text to {target.sql(dialect='trino')}"
        guarded = exp.Case().when(_regexp_full_match(value, strict or agreed), node.copy())
        if strict is not None:
            # surrounding spaces: trimmed by some Trino versions, refused
            padded = _regexp_full_match(value, rf"\s*({strict})\s*")
            guarded = guarded.when(padded, athena_trino.runtime_refusal(what))
            if isinstance(node, exp.TryCast):
                otherwise: exp.Expression = exp.Null()
            else:
                text = f"{INVALID_CAST}: Value cannot be cast to {target.sql(dialect='trino')}"
                otherwise = _failure_or_null(node, text)
        else:
            otherwise = athena_trino.runtime_refusal(what)
        guarded = guarded.else_(otherwise)
        guarded.type = target
        node.replace(guarded)


def _count_if_counts(tree: exp.Expression) -> None:
    """Trino's ``count_if(c)`` counts the rows where ``c`` is true: a bigint, 0 when no
    row qualifies (https://trino.io/docs/current/functions/aggregate.html#count_if).
    DuckDB's returns NULL when every ``c`` is NULL. ``count(CASE WHEN c THEN 1 END)``
    is Trino's definition in DuckDB."""
    for node in list(tree.find_all(exp.CountIf)):
        counted = exp.Count(this=exp.Case().when(node.this.copy(), exp.Literal.number(1)))
        counted.type = exp.DataType.build("bigint")
        node.replace(counted)


def _is_star(projection: exp.Expression) -> bool:
    """``*`` or ``t.*`` (not ``count(*)``, whose argument is a Star too)."""
    is_qualified_star = isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star)
    return isinstance(projection, exp.Star) or is_qualified_star


def _tag_unnamed_outputs(tree: exp.Query) -> None:
    """Athena names an output without a name ``_col<position>``. Positions are only known
    once ``*`` is expanded, so unnamed outputs get a marker alias until then: the query's
    own (``_col`` by position below) and those of subqueries and of VALUES without column
    names, which reach the result through ``*`` (renamed by position when the result
    comes back, :func:`lakehouse.local.athena.result_names`)."""
    for number, projection in enumerate(list(tree.selects)):
        if not isinstance(projection, exp.Alias | exp.Column) and not _is_star(projection):
            marker = f"{UNNAMED_OUTPUT}{number}"
            projection.replace(exp.alias_(projection.copy(), marker, quoted=True))
    inner = [s for s in tree.find_all(exp.Select) if s is not tree]
    for depth, select in enumerate(inner):
        for number, projection in enumerate(list(select.selects)):
            if not isinstance(projection, exp.Alias | exp.Column) and not _is_star(projection):
                marker = f"{UNNAMED_OUTPUT}_{depth}_{number}"
                projection.replace(exp.alias_(projection.copy(), marker, quoted=True))
    for depth, values in enumerate(tree.find_all(exp.Values)):
        alias = values.args.get("alias")
        holder = values.parent.parent if isinstance(values.parent, exp.Subquery) else values.parent
        in_from = isinstance(holder, exp.From | exp.Join)  # not `= ANY (VALUES ...)`
        if not in_from or alias is not None and alias.columns or not values.expressions:
            continue
        first = values.expressions[0]
        width = len(first.expressions) if isinstance(first, exp.Tuple) else 1
        markers = [
            exp.to_identifier(f"{UNNAMED_OUTPUT}_v{depth}_{n}", quoted=True) for n in range(width)
        ]
        name = alias.this if alias is not None else exp.to_identifier(f"_values{depth}")
        values.set("alias", exp.TableAlias(this=name, columns=markers))


def _name_outputs_like_athena(typed: exp.Query) -> None:
    """Markers become ``_col<position>``, also where the qualifier made ORDER BY use them."""
    names = {
        p.alias: f"_col{index}"
        for index, p in enumerate(typed.selects)
        if p.alias.startswith(UNNAMED_OUTPUT)
    }
    for identifier in typed.find_all(exp.Identifier):
        if identifier.this in names:
            identifier.set("this", names[identifier.this])


# SQL/JSON constructors (functions/json.html#json-array, #json-object): not emulated.
JSON_CONSTRUCTORS = (exp.JSONObject, exp.JSONArray, exp.JSONObjectAgg, exp.JSONArrayAgg)


def _grouping_sets_of(element: exp.Expression) -> list[list[exp.Expression]]:
    """The grouping sets one element of a GROUP BY stands for (sql/select.html)."""
    if isinstance(element, exp.Cube):
        columns = element.expressions
        return [
            [c for i, c in enumerate(columns) if mask >> (len(columns) - 1 - i) & 1]
            for mask in range(2 ** len(columns) - 1, -1, -1)
        ]
    if isinstance(element, exp.Rollup):
        return [element.expressions[:n] for n in range(len(element.expressions), -1, -1)]
    if isinstance(element, exp.GroupingSets):
        sets = []
        for item in element.expressions:
            if isinstance(item, exp.Tuple):
                sets.append(list(item.expressions))
            elif isinstance(item, exp.Paren):
                sets.append([item.this])
            else:
                sets.append([item])
        return sets
    return [[element]]


def _expand_group_by(tree: exp.Expression) -> None:
    """Trino's ``GROUP BY ALL | DISTINCT`` before grouping elements and ``GROUP BY AUTO``
    (https://trino.io/docs/current/sql/select.html#complex-grouping-operations), which
    DuckDB reads otherwise (its ``GROUP BY ALL`` is Trino's AUTO). Several elements
    combine as a cross product of their grouping sets; ALL keeps the duplicate sets
    (each gives its rows), DISTINCT keeps the first of each; both become the explicit
    ``GROUPING SETS``. AUTO groups by the SELECT expressions outside aggregate functions."""
    for group in list(tree.find_all(exp.Group)):
        elements = [*group.expressions]
        for key in ("grouping_sets", "cube", "rollup"):
            extra = group.args.get(key)
            elements += extra if isinstance(extra, list) else [extra] if extra else []
        select = group.parent
        if (
            len(elements) == 1
            and isinstance(elements[0], exp.Column)
            and not elements[0].table
            and not elements[0].this.quoted
            and elements[0].name.lower() == "auto"
            and isinstance(select, exp.Select)
        ):
            keys = [
                s.unalias().copy()
                for s in select.expressions
                if not any(isinstance(n, exp.AggFunc | exp.Window) for n in s.walk())
            ]
            group.replace(exp.Group(expressions=keys)) if keys else group.pop()
            continue
        quantifier = group.args.get("all")
        if quantifier is None:
            continue
        if not elements:  # DuckDB's GROUP BY ALL; Trino requires a grouping element
            raise QueryFailure("SYNTAX_ERROR", "GROUP BY ALL needs a grouping element in Trino")
        if not any(isinstance(e, exp.Cube | exp.Rollup | exp.GroupingSets) for e in elements):
            group.set("all", None)  # plain columns: the quantifier changes nothing
            continue
        sets: list[list[exp.Expression]] = [[]]
        for element in elements:
            sets = [s + t for s in sets for t in _grouping_sets_of(element)]
        if quantifier is False:  # DISTINCT: "only unique grouping sets are generated"
            seen, unique = set(), []
            for s in sets:
                key = frozenset(e.sql(dialect="trino") for e in s)
                if key not in seen:
                    seen.add(key)
                    unique.append(s)
            sets = unique
        tuples = [exp.Tuple(expressions=[e.copy() for e in s]) for s in sets]
        group.replace(exp.Group(expressions=[exp.GroupingSets(expressions=tuples)]))


def translate(
    sql: str, parameters: list[str], context: tuple[str, str], catalog: LocalGlueCatalog
) -> TranslatedQuery:
    """``context`` is QueryExecutionContext's (catalog, database) for unqualified tables."""
    tree = parse_single_statement(sql)
    if not isinstance(tree, exp.Query):
        message = "the local Athena runs queries (SELECT / WITH / set operations) only"
        raise QueryFailure("NOT_SUPPORTED", message)
    _bind_parameters(tree, parameters)
    for node in tree.find_all(*JSON_CONSTRUCTORS):
        # refused before columns are resolved: sqlglot reads the type of a RETURNING
        # clause (json_object('x' : 1 RETURNING VARBINARY)) as a column
        raise _not_emulated(f"function {_function_name(node)}()")
    _expand_group_by(tree)
    _tag_unnamed_outputs(tree)
    tables = _resolve_tables(tree, sql, context, catalog)
    _type_number_literals(tree)
    _type_decimal_literals(tree)
    schema = _schema(tables)
    qualified = _qualified(tree, sql, schema)
    typed = annotate_types(qualified or tree, schema=schema, dialect="trino")
    try:
        athena_trino.check_types(typed)
    except athena_trino.TypeMismatch as exc:
        raise QueryFailure("TYPE_MISMATCH", str(exc)) from None
    _refuse_unemulated(typed)
    try:
        athena_typeof.rewrite_typeof(typed)  # on the types as written, before rewrites
        athena_format.rewrite_format(typed)
        typed = athena_trino.rewrite(typed)
    except athena_trino.NotEmulated as exc:
        raise _not_emulated(exc.construct) from None
    _guard_division_by_zero(typed)
    _integer_division(typed)
    _guard_casts(typed)
    _unwrap_try(typed)
    _count_if_counts(typed)
    _name_outputs_like_athena(typed)
    date_columns: frozenset[int] = frozenset()
    if qualified is not None:  # positions are reliable once `*` is expanded
        date_type = exp.DataType.Type.DATE
        dates = (i for i, s in enumerate(typed.selects) if s.type and s.type.is_type(date_type))
        date_columns = frozenset(dates)
    return TranslatedQuery(typed.sql(dialect="duckdb"), tables, date_columns)
