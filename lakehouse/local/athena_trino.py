"""Trino functions whose DuckDB counterparts answer differently, rewritten to Trino's
semantics or guarded so that the query fails loudly where they would differ.

Each rewrite names the Trino page (or source) that fixes the behaviour it keeps; the
conformance suite (tests/unit/local/test_trino_conformance.py) holds the doc examples.
Rewrites run on the annotated tree, after the allowlist check of ``athena_sql`` and
before DuckDB SQL is generated. Run-time guards call DuckDB's ``error()`` with a
``NOT_SUPPORTED: `` text, which the executor reports as Athena's NOT_SUPPORTED failure.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp

NOT_EMULATED = "NOT_SUPPORTED"
INTEGER_TYPES = exp.DataType.INTEGER_TYPES
DECIMAL = exp.DataType.Type.DECIMAL
TEXT = exp.DataType.TEXT_TYPES


class NotEmulated(Exception):
    """A construct the local engine would answer differently from Trino: the query fails
    with NOT_SUPPORTED naming ``construct``."""

    def __init__(self, construct: str) -> None:
        self.construct = construct
        super().__init__(construct)


def _fn(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def _lit(value: str | int) -> exp.Literal:
    return exp.Literal.string(value) if isinstance(value, str) else exp.Literal.number(value)


def trino_error(node: exp.Expression, text: str) -> exp.Expression:
    """Fails the query with ``text`` (``CODE: message``) when evaluated; NULL inside TRY,
    as Trino's TRY catches invalid arguments, casts, division by zero and out-of-range
    numbers (https://trino.io/docs/current/functions/conditional.html#try)."""
    if node.find_ancestor(exp.Try) is not None:
        return exp.Null()
    return _fn("error", _lit(text))


def runtime_refusal(construct: str) -> exp.Anonymous:
    """An expression that fails the query as not emulated when it is evaluated."""
    text = f"{NOT_EMULATED}: {construct} is not emulated by the local Athena"
    return _fn("error", _lit(text))


def _typed(node: exp.Expression, type_: str | exp.DataType) -> exp.Expression:
    node.type = exp.DataType.build(type_) if isinstance(type_, str) else type_
    return node


def _is(node: exp.Expression | None, *types) -> bool:
    return node is not None and node.type is not None and node.type.is_type(*types)


def _int_literal(node: exp.Expression | None) -> int | None:
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return int(node.this)
        except ValueError:
            return None
    if isinstance(node, exp.Neg):
        inner = _int_literal(node.this)
        return None if inner is None else -inner
    return None


# -- numbers -------------------------------------------------------------------------


def _decimal_precision_scale(node: exp.Expression) -> tuple[int, int] | None:
    if not _is(node, DECIMAL) or len(node.type.expressions) != 2:
        return None
    precision, scale = (int(p.this.this) for p in node.type.expressions)
    return precision, scale


def _rounding(node: exp.Round | exp.Ceil | exp.Floor) -> exp.Expression:
    """round/ceiling/floor of a decimal(p, s) is a decimal(p - s + min(s, 1), 0) and
    round(x, d) a decimal(min(38, p + 1), s) in Trino (MathFunctions: Ceiling, Floor,
    Round, RoundN); DuckDB narrows the scale instead. Of an integer, round(x, d) keeps
    the integer type and fails on overflow in Trino (round(tinyint '127', -1)); the Trino
    versions differ on negative d (x itself in older ones): refused."""
    operand = node.this
    decimals = node.args.get("decimals")
    if decimals is not None and _is(operand, *INTEGER_TYPES):
        raise NotEmulated("round(x, d) of an integer")
    if _is(operand, *INTEGER_TYPES):
        return operand.copy()  # "[same as input]": an integer is its own ceiling and floor
    shape = _decimal_precision_scale(operand)
    if shape is None:
        if _is(operand, DECIMAL):
            raise NotEmulated(f"{type(node).__name__.lower()}() of a decimal of unknown scale")
        return node
    precision, scale = shape
    if decimals is None:
        target = f"decimal({precision - scale + min(scale, 1)},0)"
    else:
        target = f"decimal({min(38, precision + 1)},{scale})"
    return _typed(exp.Cast(this=node.copy(), to=exp.DataType.build(target)), target)


def _sign(node: exp.Sign) -> exp.Expression:
    """sign(x) of an integer is -1, 0 or 1 of x's type
    (https://trino.io/docs/current/functions/math.html#sign); DuckDB's is a tinyint. Of a
    double Trino keeps -0 and NaN and of a decimal gives decimal(1,0): refused."""
    operand = node.this
    if not _is(operand, *INTEGER_TYPES):
        raise NotEmulated("sign() of a value that is not an integer")
    signum = _typed(node.copy(), "tinyint")  # DuckDB's type
    return _typed(exp.Cast(this=signum, to=operand.type.copy()), operand.type)


# -- strings -------------------------------------------------------------------------

# Java's Character.isWhitespace, which Trino's trim/ltrim/rtrim remove (airlift
# SliceUtf8.trim); DuckDB's one-argument trim removes spaces only.
JAVA_WHITESPACE = (
    " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2008\u2009\u200a\u2028\u2029\u205f\u3000"
)


def _trim(node: exp.Trim) -> exp.Expression:
    if node.args.get("expression") is None:
        node.set("expression", _lit(JAVA_WHITESPACE))
    return node


def _split_part(node: exp.SplitPart) -> exp.Expression:
    """split_part: NULL past the last field, an error for an index below 1
    (https://trino.io/docs/current/functions/string.html#split_part); DuckDB gives ''.
    An empty delimiter (Trino splits between characters) is refused at run time."""
    text, delimiter, index = node.this, node.args["delimiter"], node.args["part_index"]
    fields = _fn("len", _fn("string_split", text.copy(), delimiter.copy()))
    return _typed(
        exp.Case()
        .when(
            delimiter.copy().eq(_lit("")), runtime_refusal("split_part() with an empty delimiter")
        )
        .when(
            index.copy() < _lit(1),
            trino_error(node, "INVALID_FUNCTION_ARGUMENT: Index must be greater than zero"),
        )
        .when(index.copy() > fields, exp.Null())
        .else_(node.copy()),
        "varchar",
    )


# Characters outside the Basic Multilingual Plane: two UTF-16 units in Java.
SUPPLEMENTARY_CHARACTER = "[\\x{10000}-\\x{10FFFF}]"


def _str_position(node: exp.StrPosition) -> exp.Expression:
    """strpos(string, substring, instance): the position of the instance-th occurrence,
    overlapping ones counted, from the end when instance is negative; 0 when there is
    none, 1 for an empty substring, an error for instance 0 (StringFunctions
    stringPositionFromStart/FromEnd, https://trino.io/docs/current/functions/string.html#strpos).
    DuckDB has no instance argument. From the end Trino counts UTF-16 units, not
    characters: refused at run time on text beyond the Basic Multilingual Plane."""
    instance = node.args.get("occurrence")
    if instance is None:
        return node
    text, substring = node.this, node.args["substr"]
    any_null = exp.or_(*(v.copy().is_(exp.Null()) for v in (text, substring, instance)))
    from_end_in_utf16 = exp.and_(
        instance.copy() < _lit(0),
        _fn("regexp_matches", text.copy(), _lit(SUPPLEMENTARY_CHARACTER)),
    )
    positions = _fn("trino_strpos_all", text.copy(), substring.copy())
    found = _fn("coalesce", _fn("list_extract", positions, instance.copy()), _lit(0))
    invalid = "INVALID_FUNCTION_ARGUMENT: 'instance' must be a positive or negative number."
    position = (
        exp.Case()
        .when(any_null, exp.Null())
        .when(instance.copy().eq(_lit(0)), trino_error(node, invalid))
        .when(_fn("length", substring.copy()).eq(_lit(0)), _lit(1))
        .when(
            from_end_in_utf16,
            runtime_refusal("strpos() with a negative instance on text beyond the BMP"),
        )
        .else_(found)
    )
    return _typed(exp.Cast(this=position, to=exp.DataType.build("bigint")), "bigint")


def _substring(node: exp.Substring) -> exp.Expression:
    """substr(s, start[, length]) in Trino (StringFunctions.substring): start 0 or a
    length <= 0 is '', a negative start counts from the end and before the beginning is
    ''. DuckDB keeps the string for start 0 and clips a start before the beginning."""
    text, start, length = node.this, node.args["start"], node.args.get("length")
    empty = exp.or_(
        start.copy().eq(_lit(0)),
        exp.and_(start.copy() < _lit(0), exp.Neg(this=start.copy()) > _fn("length", text.copy())),
        *([length.copy() <= _lit(0)] if length is not None else []),
    )
    return _typed(exp.Case().when(empty, _lit("")).else_(node.copy()), "varchar")


def _replace(node: exp.Replace) -> exp.Expression:
    """replace with an empty search string inserts the replacement between characters in
    Trino; DuckDB returns the string unchanged: refused at run time."""
    search = node.expression
    return _typed(
        exp.Case()
        .when(search.copy().eq(_lit("")), runtime_refusal("replace() of an empty string"))
        .else_(node.copy()),
        "varchar",
    )


# -- JSON ------------------------------------------------------------------------------

JSON_PATH_TEXT = "json_path_text"  # meta key: the path literal as written
# The paths where Trino's JsonPathTokenizer and DuckDB's JSONPath agree: $ then .key and
# [index] steps (Trino reads [n] of an object as the key "n": guarded at run time).
JSON_PATH = re.compile(r"\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[0-9]+\])*\Z")
JSON_PATH_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]")
# yyjson (DuckDB) reads what Jackson (Trino) rejects: trailing commas, NaN and Infinity.
# Where those appear, even in a string, the answer is refused. Jackson keeps a number's
# text (-0, 1.0E2) where DuckDB prints the value: only integers other than -0 are read.
LENIENT_JSON = ",\\s*[\\]}]|NaN|Infinity"
NEGATIVE_ZERO = "-0([^0-9.eE]|$)"


def _json_path_steps(path: exp.Expression) -> list[str | int]:
    """The steps of a literal ``$.key[index]...`` path."""
    text = path.meta.get(JSON_PATH_TEXT) if isinstance(path, exp.JSONPath) else None
    if text is None or not JSON_PATH.match(text):
        raise NotEmulated("a JSON path other than a literal of $, .key and [index] steps")
    return [key or int(index) for key, index in JSON_PATH_STEP.findall(text)]


def _duckdb_json_path(steps: list[str | int]) -> exp.Literal:
    return _lit("$" + "".join(f".{s}" if isinstance(s, str) else f"[{s}]" for s in steps))


def _json_extract_scalar(node: exp.JSONExtractScalar) -> exp.Expression:
    """json_extract_scalar: the text of the string, number or boolean at the path, NULL
    for an array, an object, JSON null or nothing there
    (https://trino.io/docs/current/functions/json.html#json_extract_scalar). DuckDB's
    json_extract_string serializes arrays and objects, fails on invalid JSON (Trino
    streams and may answer before the error: refused) and reads ``$[0]`` of an object as
    nothing where Trino looks up the key "0" (refused at run time)."""
    document = node.this
    if not (_is(document, *TEXT) or isinstance(document, exp.Null)):
        raise NotEmulated("json_extract_scalar() of a value that is not varchar")
    steps = _json_path_steps(node.expression)
    path = _duckdb_json_path(steps)
    kind = _fn("json_type", document.copy(), path.copy())
    refusal = runtime_refusal("json_extract_scalar() of this document")
    case = (
        exp.Case()
        .when(document.copy().is_(exp.Null()), exp.Null())
        .when(_fn("json_valid", document.copy()).not_(), refusal.copy())
        .when(_fn("regexp_matches", document.copy(), _lit(LENIENT_JSON)), refusal.copy())
    )
    for position, step in enumerate(steps):
        if isinstance(step, int):
            container = _fn("json_type", document.copy(), _duckdb_json_path(steps[:position]))
            case = case.when(container.eq(_lit("OBJECT")), refusal.copy())
    is_negative_zero = _fn("regexp_matches", document.copy(), _lit(NEGATIVE_ZERO))
    scalar = _fn("json_extract_string", document.copy(), path.copy())
    case = (
        case.when(exp.and_(kind.copy().eq(_lit("BIGINT")), is_negative_zero), refusal.copy())
        .when(kind.copy().isin("VARCHAR", "BIGINT", "UBIGINT", "BOOLEAN"), scalar)
        .when(
            exp.or_(kind.copy().is_(exp.Null()), kind.copy().isin("NULL", "ARRAY", "OBJECT")),
            exp.Null(),
        )
        .else_(refusal.copy())
    )
    return _typed(exp.Cast(this=case, to=exp.DataType.build("varchar")), "varchar")


# -- regular expressions ---------------------------------------------------------------

# Trino runs Java-syntax patterns (https://trino.io/docs/current/functions/regexp.html);
# DuckDB runs RE2. On a pattern literal without the constructs below and on printable
# ASCII input (no line terminators, where `.`, `$`, `\s`, `\b` and Unicode classes differ)
# both engines find the same matches.
JAVA_ONLY_PATTERN = re.compile(
    r"\(\?[=!<>]"  # lookaround, atomic groups, named groups
    r"|\(\?[a-hj-z]"  # inline flags other than (?i)
    r"|\\[1-9kGZRXhHvVpPQE]"  # back references, \G, \Z, \R, \X, \h, \v, \p{..}, quoting
    r"|[*+?}]\+"  # possessive quantifiers
    r"|&&"  # character class intersection
    r"|\{,"  # {,n} (a literal in Java)
)
SAFE_INPUT = "[\\x20-\\x7e\\t]*"


# Functions that walk every match: where a pattern can match the empty string, Java and
# RE2 step past empty matches differently (Trino's own tests: regexp_split('abcd', '')
# is ['', a, b, c, d, ''], regexp_count('abcd', '') is 5).
EVERY_MATCH = {"regexp_replace", "regexp_split", "regexp_count", "regexp_extract_all"}


def _pattern(node: exp.Expression, function: str) -> str:
    pattern = node.args.get("expression")
    if not (isinstance(pattern, exp.Literal) and pattern.is_string):
        raise NotEmulated(f"{function}() with a pattern that is not a string literal")
    text = pattern.this
    if JAVA_ONLY_PATTERN.search(text):
        raise NotEmulated(f"{function}() with the Java-only pattern {text!r}")
    if function in EVERY_MATCH and _may_match_empty(text):
        raise NotEmulated(f"{function}() with a pattern that can match the empty string")
    return text


def _may_match_empty(pattern: str) -> bool:
    if re.search(r"\\[bB]|(?<!\[)\^|\$", pattern):
        return True  # anchors and word boundaries match between characters
    try:
        return re.search(pattern, "") is not None
    except re.error:
        return True


def _guard_input(
    node: exp.Expression, text: exp.Expression, function: str, type_: str
) -> exp.Expression:
    safe = exp.or_(
        exp.Is(this=text.copy(), expression=exp.Null()),
        _fn("regexp_full_match", text.copy(), _lit(SAFE_INPUT)),
    )
    refusal = runtime_refusal(f"{function}() on text other than printable ASCII")
    return _typed(exp.Case().when(safe, node).else_(refusal), type_)


def _group_count(pattern: str) -> int:
    return len(re.findall(r"(?<!\\)\((?!\?)", pattern))


def _regexp_group(node: exp.Expression, pattern: str, function: str) -> None:
    group = node.args.get("group")
    if group is None:
        return
    number = _int_literal(group)
    if number is None or number < 0 or number > _group_count(pattern):
        raise NotEmulated(f"{function}() with group {group.sql()}")
    # a group that took no part in the match is NULL in Trino and '' in DuckDB
    if number > 0 and re.search(r"\||\)[?*]|\)\{0", pattern):
        raise NotEmulated(f"{function}() of a group that may not take part in the match")


def _regexp_like(node: exp.RegexpLike) -> exp.Expression:
    _pattern(node, "regexp_like")
    return _guard_input(node.copy(), node.this, "regexp_like", "boolean")


def _regexp_extract(node: exp.RegexpExtract) -> exp.Expression:
    """regexp_extract is NULL without a match in Trino; DuckDB gives ''."""
    pattern = _pattern(node, "regexp_extract")
    _regexp_group(node, pattern, "regexp_extract")
    matched = _fn("regexp_matches", node.this.copy(), _lit(pattern))
    found = exp.Case().when(matched, node.copy()).else_(exp.Null())
    return _guard_input(found, node.this, "regexp_extract", "varchar")


def _regexp_extract_all(node: exp.RegexpExtractAll) -> exp.Expression:
    pattern = _pattern(node, "regexp_extract_all")
    _regexp_group(node, pattern, "regexp_extract_all")
    return _guard_input(node.copy(), node.this, "regexp_extract_all", "array<varchar>")


def _regexp_simple(function: str, type_: str) -> Callable[[exp.Expression], exp.Expression]:
    def rewrite(node: exp.Expression) -> exp.Expression:
        _pattern(node, function)
        return _guard_input(node.copy(), node.this, function, type_)

    return rewrite


def _regexp_split(node: exp.RegexpSplit) -> exp.Expression:
    """regexp_split('') is [''] in Trino and [] in DuckDB: refused when met."""
    guarded = _regexp_simple("regexp_split", "array<varchar>")(node)
    empty = node.this.copy().eq(_lit(""))
    refusal = runtime_refusal("regexp_split() of an empty string")
    return _typed(exp.Case().when(empty, refusal).else_(guarded), "array<varchar>")


def java_replacement_to_re2(replacement: str) -> str:
    """A Java replacement (``$1``, ``\\$``) as RE2's rewrite string (``\\1``, ``$``):
    https://trino.io/docs/current/functions/regexp.html#regexp_replace."""
    out, position = [], 0
    while position < len(replacement):
        char = replacement[position]
        following = replacement[position + 1] if position + 1 < len(replacement) else ""
        if char == "$":
            if not following.isdigit() or replacement[position + 2 : position + 3].isdigit():
                raise NotEmulated(f"regexp_replace() with the replacement {replacement!r}")
            out.append("\\" + following)
            position += 2
        elif char == "\\":
            if not following:
                raise NotEmulated(f"regexp_replace() with the replacement {replacement!r}")
            out.append("\\\\" if following == "\\" else following)
            position += 2
        else:
            out.append(char)
            position += 1
    return "".join(out)


def _regexp_replace(node: exp.RegexpReplace) -> exp.Expression:
    pattern = _pattern(node, "regexp_replace")
    replacement = node.args.get("replacement")
    if replacement is not None:
        if not (isinstance(replacement, exp.Literal) and replacement.is_string):
            raise NotEmulated("regexp_replace() with a replacement that is not a string literal")
        if _group_count(pattern) < max(
            map(int, re.findall(r"\$(\d)", replacement.this)), default=0
        ):
            raise NotEmulated("regexp_replace() naming a group the pattern does not have")
        node.set("replacement", _lit(java_replacement_to_re2(replacement.this)))
    return _guard_input(node.copy(), node.this, "regexp_replace", "varchar")


# -- date and time -------------------------------------------------------------------

FIXED_UNITS_MS = {
    "MILLISECOND": 1,
    "SECOND": 1000,
    "MINUTE": 60_000,
    "HOUR": 3_600_000,
    "DAY": 86_400_000,
    "WEEK": 604_800_000,
}
DATE_UNITS = {"DAY", "WEEK", "MONTH", "QUARTER", "YEAR"}
MONTHS_PER_UNIT = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}


def _unit(node: exp.Expression) -> str:
    unit = node.args.get("unit")
    name = unit.name if unit is not None else "DAY"
    return name.upper().rstrip("S") if name.upper() != "MILLISECONDS" else "MILLISECOND"


def _date_diff(node: exp.DateDiff) -> exp.Expression:
    """date_diff(unit, t1, t2) is t2 - t1 in whole units, truncated toward zero (Joda
    fields on the UTC chronology, https://trino.io/docs/current/functions/datetime.html#date_diff):
    23:00 to 01:00 the next day is 0 days. DuckDB's date_diff counts boundaries crossed.
    Calendar units (month, quarter, year) follow Joda's month difference: see
    ``trino_month_diff`` in :data:`MACROS`."""
    unit = _unit(node)
    later, earlier = node.this, node.expression
    if any(_is(v, exp.DataType.Type.DATE) for v in (later, earlier)) and unit not in DATE_UNITS:
        raise NotEmulated(f"date_diff('{unit.lower()}', ...) of a date")
    if unit in FIXED_UNITS_MS:
        elapsed = _fn("epoch_ms", later.copy()) - _fn("epoch_ms", earlier.copy())
        return _typed(_fn("trunc_div", elapsed, _lit(FIXED_UNITS_MS[unit])), "bigint")
    if unit in MONTHS_PER_UNIT:
        months = _fn("trino_month_diff", earlier.copy(), later.copy())
        return _typed(_fn("trunc_div", months, _lit(MONTHS_PER_UNIT[unit])), "bigint")
    raise NotEmulated(f"date_diff('{unit.lower()}', ...)")


# extract(field FROM x): fields whose DuckDB part is the same number, and the renames
# (day_of_week is ISO 1..7, Monday first; year_of_week the ISO year)
EXTRACT_FIELDS = {
    "YEAR": "year",
    "QUARTER": "quarter",
    "MONTH": "month",
    "WEEK": "week",
    "DAY": "day",
    "DAY_OF_MONTH": "day",
    "DAYOFMONTH": "day",
    "DAY_OF_WEEK": "isodow",
    "DAYOFWEEK": "isodow",
    "DOW": "isodow",
    "DAY_OF_YEAR": "doy",
    "DAYOFYEAR": "doy",
    "DOY": "doy",
    "YEAR_OF_WEEK": "isoyear",
    "YOW": "isoyear",
    "HOUR": "hour",
    "MINUTE": "minute",
    "SECOND": "second",
}


def _from_iso8601_date(node: exp.FromISO8601Date) -> exp.Expression:
    """from_iso8601_date: Joda's ISODateTimeFormat.dateElementParser (DateTimeFunctions),
    ``yyyy[-MM[-dd]]``, ``yyyy-DDD`` and ``xxxx-Www[-e]``
    (https://trino.io/docs/current/functions/datetime.html#from_iso8601_date). The
    macro ``trino_iso8601_date`` reads those forms with four-digit years and valid
    fields; any other text (other digit counts, signs, invalid dates: Joda's own
    leniency and errors) is refused at run time."""
    text = node.this
    if not (_is(text, *TEXT) or isinstance(text, exp.Null)):
        raise NotEmulated("from_iso8601_date() of a value that is not varchar")
    parsed = _fn("trino_iso8601_date", text.copy())
    refusal = runtime_refusal("from_iso8601_date() of this text")
    return _typed(
        exp.Case()
        .when(text.copy().is_(exp.Null()), exp.Null())
        .when(parsed.copy().is_(exp.Null()), refusal)
        .else_(parsed),
        "date",
    )


def _extract(node: exp.Extract) -> exp.Expression:
    field = node.this.name.upper()
    part = EXTRACT_FIELDS.get(field)
    if part is None:
        raise NotEmulated(f"extract({field} FROM ...)")
    return _typed(_fn("date_part", _lit(part), node.expression.copy()), "bigint")


def _sequence(node: exp.GenerateSeries) -> exp.Expression:
    """sequence(start, stop[, step]) of integers: -1 steps when start > stop, an error
    when the step points away from stop or the result has over 10000 entries
    (https://trino.io/docs/current/functions/array.html#sequence); DuckDB gives []."""
    start, stop, step = node.args["start"], node.args["end"], node.args.get("step")
    if not all(_is(v, *INTEGER_TYPES) for v in (start, stop, *([step] if step else []))):
        raise NotEmulated("sequence() of dates or timestamps")
    if step is None:
        step = exp.Case().when(start.copy() <= stop.copy(), _lit(1)).else_(_lit(-1))
    count = _fn("trunc_div", stop.copy() - start.copy(), step.copy()) + _lit(1)
    wrong_way = exp.or_(
        exp.and_(step.copy() > _lit(0), start.copy() > stop.copy()),
        exp.and_(step.copy() < _lit(0), start.copy() < stop.copy()),
    )
    invalid = (
        "INVALID_FUNCTION_ARGUMENT: sequence stop value should be reachable from start by step"
    )
    too_long = "INVALID_FUNCTION_ARGUMENT: result of sequence function must not have more than 10000 entries"
    series = _fn("generate_series", start.copy(), stop.copy(), step.copy())
    return _typed(
        exp.Case()
        .when(
            step.copy().eq(_lit(0)),
            trino_error(node, "INVALID_FUNCTION_ARGUMENT: step must not be zero"),
        )
        .when(wrong_way, trino_error(node, invalid))
        .when(count > _lit(10000), trino_error(node, too_long))
        .else_(series),
        "array<bigint>",
    )


# -- arrays ----------------------------------------------------------------------------


def _array_sort(node: exp.ArraySort) -> exp.Expression:
    if node.expression is not None:
        raise NotEmulated("array_sort() with a comparator")
    return node


def _array_concat_element(node: exp.DPipe) -> exp.Expression:
    """``array || element`` and ``element || array`` append or prepend in Trino
    (https://trino.io/docs/current/functions/array.html#concatenation-operator)."""
    left, right = node.this, node.expression
    left_array, right_array = (
        _is(left, exp.DataType.Type.ARRAY),
        _is(right, exp.DataType.Type.ARRAY),
    )
    if (
        left_array
        and not right_array
        and right.type is not None
        and not right.type.is_type(exp.DataType.Type.UNKNOWN)
    ):
        return _typed(_fn("list_append", left.copy(), right.copy()), left.type)
    if (
        right_array
        and not left_array
        and left.type is not None
        and not left.type.is_type(exp.DataType.Type.UNKNOWN)
    ):
        return _typed(_fn("list_prepend", left.copy(), right.copy()), right.type)
    return node


ARRAY = exp.DataType.Type.ARRAY
MAP = exp.DataType.Type.MAP


def _failing_with(node: exp.Expression, code: str, *message: exp.Expression) -> exp.Expression:
    """Like :func:`trino_error`, the message built from ``message`` at run time."""
    if node.find_ancestor(exp.Try) is not None:
        return exp.Null()
    text = [_lit(f"{code}: ")] + [
        exp.Cast(this=m, to=exp.DataType.build("varchar")) for m in message
    ]
    return _fn("error", _fn("concat", *text))


def _same_key_type(map_type: exp.DataType, key: exp.Expression) -> bool:
    key_type = map_type.expressions[0] if len(map_type.expressions) == 2 else None
    if key_type is None or key.type is None:
        return False
    for family in (INTEGER_TYPES, TEXT):
        if key_type.is_type(*family) and key.type.is_type(*family):
            return True
    return key_type.this == key.type.this and not key_type.is_type(DECIMAL)


def _subscript(node: exp.Bracket) -> exp.Expression:
    """``array[i]`` fails for i < 1 or past the end, ``map[key]`` for a missing key
    (INVALID_FUNCTION_ARGUMENT: ArraySubscriptOperator, MapSubscriptOperator;
    https://trino.io/docs/current/functions/array.html#subscript-operator);
    ``element_at`` (``safe``) counts a negative index from the end and is NULL past
    either end or for a missing key, index 0 fails
    (https://trino.io/docs/current/functions/array.html#element_at). DuckDB is NULL
    for every one of those."""
    container, keys = node.this, node.expressions
    safe = bool(node.args.get("safe"))
    if len(keys) != 1:
        raise NotEmulated("a subscript with several indexes")
    key = keys[0]
    if _is(container, ARRAY) and len(container.type.expressions) == 1:
        if not _is(key, *INTEGER_TYPES):
            raise NotEmulated("an array subscript that is not an integer")
        element = container.type.expressions[0]
        return _typed(_array_subscript(node, container, key, safe), element)
    if _is(container, MAP) and len(container.type.expressions) == 2:
        if not _same_key_type(container.type, key):
            raise NotEmulated("a map subscript of another type than the map's keys")
        value = container.type.expressions[1]
        found = _fn("map_extract_value", container.copy(), key.copy())
        if safe:
            return _typed(found, value)
        missing = exp.and_(
            container.copy().is_(exp.Null()).not_(),
            key.copy().is_(exp.Null()).not_(),
            _fn("map_contains", container.copy(), key.copy()).not_(),
        )
        error = _failing_with(
            node, "INVALID_FUNCTION_ARGUMENT", _lit("Key not present in map: "), key.copy()
        )
        return _typed(exp.Case().when(missing, error).else_(found), value)
    what = "element_at()" if safe else "the subscript operator []"
    raise NotEmulated(f"{what} of a value of unknown or other type than array and map")


def _array_subscript(
    node: exp.Bracket, array: exp.Expression, index: exp.Expression, safe: bool
) -> exp.Expression:
    code = "INVALID_FUNCTION_ARGUMENT"
    length = _fn("len", array.copy())
    element = _fn("list_extract", array.copy(), index.copy())
    checked = exp.Case().when(
        exp.or_(array.copy().is_(exp.Null()), index.copy().is_(exp.Null())), exp.Null()
    )
    checked = checked.when(
        index.copy().eq(_lit(0)), _failing_with(node, code, _lit("SQL array indices start at 1"))
    )
    if safe:
        return checked.else_(element)
    negative = _failing_with(node, code, _lit("Array subscript is negative: "), index.copy())
    past_end = _failing_with(
        node,
        code,
        _lit("Array subscript must be less than or equal to array length: "),
        index.copy(),
        _lit(" > "),
        length.copy(),
    )
    return (
        checked.when(index.copy() < _lit(0), negative)
        .when(index.copy() > length, past_end)
        .else_(element)
    )


def _unnest(node: exp.Unnest) -> exp.Expression:
    """UNNEST of several arrays zips them, padding the shorter with NULL, and WITH
    ORDINALITY numbers the rows from 1 (https://trino.io/docs/current/sql/select.html#unnest).
    DuckDB's UNNEST takes one list; its select-list unnests pad the same way, so several
    arrays become ``(SELECT unnest(a) AS x, unnest(b) AS y[, unnest(range(..)) AS n])``.
    Maps and arrays of rows (expanded into columns by Trino) are refused."""
    arrays = node.expressions
    for array in arrays:
        if _is(array, exp.DataType.Type.MAP):
            raise NotEmulated("UNNEST of a map")
        elements = array.type.expressions if _is(array, exp.DataType.Type.ARRAY) else []
        if elements and elements[0].is_type(exp.DataType.Type.STRUCT):
            raise NotEmulated("UNNEST of an array of rows")
    if len(arrays) == 1:
        return node
    alias = node.args.get("alias")
    columns = list(alias.columns) if alias else []
    offset = node.args.get("offset")
    if len(columns) != len(arrays):
        raise NotEmulated("UNNEST of several arrays without a column name for each")
    selects = [
        exp.alias_(_fn("unnest", array.copy()), column.copy())
        for array, column in zip(arrays, columns, strict=True)
    ]
    if isinstance(offset, exp.Identifier):
        lengths = [_fn("coalesce", _fn("len", a.copy()), _lit(0)) for a in arrays]
        rows = _fn("range", _lit(1), _fn("greatest", *lengths) + _lit(1))
        selects.append(exp.alias_(_fn("unnest", rows), offset.copy()))
    subquery = exp.select(*selects).subquery(alias.this.copy())
    return subquery


# -- dates: a date stays a date ----------------------------------------------------------

TIME_UNITS = {"HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"}
DATE = exp.DataType.Type.DATE


def _date_arithmetic(node: exp.Expression) -> exp.Expression:
    """date_add, date_trunc and ``date ± interval`` of a DATE are DATEs in Trino
    (DateTimeFunctions.addFieldValueDate / truncateDate, DateTimeOperators), and a time
    unit on a date is an error there; DuckDB computes a TIMESTAMP."""
    if isinstance(node, exp.Add | exp.Sub):
        operands = (node.this, node.expression)
        if isinstance(node, exp.Sub) and all(_is(o, DATE) for o in operands):
            raise NotEmulated("date - date")
        interval = next((o for o in operands if isinstance(o, exp.Interval)), None)
        dated = next((o for o in operands if _is(o, DATE)), None)
        if interval is None or dated is None:
            return node
        unit = (interval.unit.name if interval.unit is not None else "").upper().rstrip("S")
    else:
        dated = node.this
        if not _is(dated, DATE):
            return node
        unit = _unit(node)
    if unit in TIME_UNITS:
        raise NotEmulated(f"a {unit.lower()} unit on a date")
    return _typed(exp.Cast(this=node.copy(), to=exp.DataType.build("date")), "date")


# -- aggregates ------------------------------------------------------------------------

BIGINT_RANGE = (-(2**63), 2**63 - 1)


def _nth_value(node: exp.NthValue) -> exp.Expression:
    """nth_value(x, offset): the offset-th value of the frame, NULL past its end; an
    offset below 1 fails unless the frame is empty (NthValueFunction); DuckDB gives NULL.
    Emulated for a literal offset of at least 1
    (https://trino.io/docs/current/functions/window.html#nth_value)."""
    offset = _int_literal(node.args.get("offset"))
    if offset is None or offset < 1:
        raise NotEmulated("nth_value() with an offset that is not a literal of at least 1")
    return node


ORDERED_ALIKE = (*INTEGER_TYPES, DECIMAL, *TEXT, exp.DataType.Type.DATE, exp.DataType.Type.BOOLEAN)


def _min_max_by(node: exp.ArgMax | exp.ArgMin) -> exp.Expression:
    """max_by/min_by(x, y): x of the row with the largest (smallest) y, rows whose y is
    NULL skipped, a NULL x kept (AbstractMinMaxBy: the key channel is not nullable, the
    value channel is), NULL for no rows; DuckDB's arg_max_null/arg_min_null do the same.
    Ordered only on keys both engines order alike (not doubles, NaN); the n-values form
    is refused (https://trino.io/docs/current/functions/aggregate.html#max_by)."""
    name = "max_by" if isinstance(node, exp.ArgMax) else "min_by"
    if node.args.get("count") is not None:
        raise NotEmulated(f"{name}(x, y, n)")
    if node.find_ancestor(exp.Window) is not None:
        raise NotEmulated(f"{name}() as a window function")
    if not _is(node.expression, *ORDERED_ALIKE):
        raise NotEmulated(
            f"{name}() ordered by a value that is not an integer, decimal, varchar, date or boolean"
        )
    function = "arg_max_null" if isinstance(node, exp.ArgMax) else "arg_min_null"
    return _typed(_fn(function, node.this.copy(), node.expression.copy()), node.this.type)


LISTAGG_LIMIT_BYTES = 1048576


def _listagg(node: exp.GroupConcat) -> exp.Expression:
    """listagg(x, separator) WITHIN GROUP (ORDER BY ...): the varchar values in order,
    NULLs skipped, '' as the default separator (DuckDB's is ','), NULL for no values
    (https://trino.io/docs/current/functions/aggregate.html#listagg). Past 1048576 bytes
    Trino fails (ON OVERFLOW ERROR, the default) or truncates: refused."""
    ordered, separator = node.this, node.args.get("separator")
    if not isinstance(ordered, exp.Order) or isinstance(ordered.this, exp.Distinct):
        raise NotEmulated("listagg() without WITHIN GROUP (ORDER BY ...) or with DISTINCT")
    if node.args.get("on_overflow") is not None and not isinstance(
        node.args["on_overflow"], exp.Var
    ):
        raise NotEmulated("listagg() ... ON OVERFLOW TRUNCATE")
    if node.find_ancestor(exp.Window) is not None:
        raise NotEmulated("listagg() as a window function")
    if not _is(ordered.this, *TEXT):
        raise NotEmulated("listagg() of a value that is not varchar")
    if separator is None:
        node.set("separator", _lit(""))
    elif not (isinstance(separator, exp.Literal) and separator.is_string):
        raise NotEmulated("listagg() with a separator that is not a string literal")
    node.set("on_overflow", None)
    # with FILTER (WHERE ...) the guard wraps the filtered aggregate, which DuckDB runs
    # as written: listagg(...) WITHIN GROUP (...) FILTER (WHERE ...)
    parent = node.parent
    target = parent if isinstance(parent, exp.Filter) and parent.this is node else node
    too_long = _fn("strlen", target.copy()) > _lit(LISTAGG_LIMIT_BYTES)
    refusal = runtime_refusal(f"listagg() of more than {LISTAGG_LIMIT_BYTES} bytes")
    guarded = _typed(exp.Case().when(too_long, refusal).else_(target.copy()), "varchar")
    if target is not node:
        target.replace(guarded)
        return node
    return guarded


def _sum(node: exp.Sum) -> exp.Expression:
    """sum of integers is a bigint that fails on overflow in Trino (LongSumAggregation,
    Math.addExact: NUMERIC_VALUE_OUT_OF_RANGE); DuckDB sums into a 128-bit integer. A sum
    of reals is a real in Trino: refused. In a window the guard wraps the window."""
    operand = node.this
    if _is(operand, exp.DataType.Type.FLOAT):
        raise NotEmulated("sum() of a real")
    if not _is(operand, *INTEGER_TYPES):
        return node
    if isinstance(node.parent, exp.Window):
        return node  # _window guards the whole window expression
    return _bigint_checked(node)


def _bigint_checked(node: exp.Expression) -> exp.Expression:
    low, high = (_lit(v) for v in BIGINT_RANGE)
    overflow = exp.or_(node.copy() < low, node.copy() > high)
    failure = trino_error(node, "NUMERIC_VALUE_OUT_OF_RANGE: bigint addition overflow")
    checked = exp.Cast(this=node.copy(), to=exp.DataType.build("bigint"))
    return _typed(exp.Case().when(overflow, failure).else_(checked), "bigint")


def _window(node: exp.Window) -> exp.Expression:
    if isinstance(node.this, exp.Sum) and _is(node.this.this, *INTEGER_TYPES):
        return _bigint_checked(node)
    return node


# -- arrays and maps -------------------------------------------------------------------


def _contains(node: exp.ArrayContains) -> exp.Expression:
    """contains(array, x) is NULL when x is not found and the array holds a NULL, or x is
    NULL (https://trino.io/docs/current/functions/array.html#contains, ArrayContains's
    three-valued logic); DuckDB's list_contains says false."""
    array, element = node.this, node.expression
    has_null = _fn(
        "len",
        _fn(
            "list_filter",
            array.copy(),
            exp.Lambda(
                this=exp.Is(this=exp.column("__e"), expression=exp.Null()),
                expressions=[exp.to_identifier("__e")],
            ),
        ),
    ) > _lit(0)
    found = _fn("list_contains", array.copy(), element.copy())
    return _typed(
        exp.Case()
        .when(
            exp.or_(
                exp.Is(this=array.copy(), expression=exp.Null()),
                exp.Is(this=element.copy(), expression=exp.Null()),
            ),
            exp.Null(),
        )
        .when(found, exp.true())
        .when(has_null, exp.Null())
        .else_(exp.false()),
        "boolean",
    )


def _array_join(node: exp.ArrayToString) -> exp.Expression:
    """array_join: NULL elements are skipped, so an all-NULL array joins to '' in Trino
    (DuckDB: NULL); elements are printed as varchar casts print them, which for doubles
    and timestamps differs between the engines: refused."""
    array = node.this
    elements = array.type.expressions if _is(array, exp.DataType.Type.ARRAY) else []
    if not elements or not elements[0].is_type(*TEXT, *INTEGER_TYPES, DATE):
        raise NotEmulated("array_join() of an array that is not of varchar, integers or dates")
    if node.args.get("null") is not None:
        raise NotEmulated("array_join() with a null replacement")
    joined = _fn("coalesce", node.copy(), _lit(""))
    unknown = exp.or_(
        exp.Is(this=array.copy(), expression=exp.Null()),
        exp.Is(this=node.expression.copy(), expression=exp.Null()),
    )
    return _typed(exp.Case().when(unknown, exp.Null()).else_(joined), "varchar")


def _cardinality(node: exp.ArraySize) -> exp.Expression:
    if _is(node.this, exp.DataType.Type.MAP):
        return _typed(_fn("cardinality", node.this.copy()), "bigint")
    return node


# -- text ------------------------------------------------------------------------------

# Case mapping and reversal agree between Java (Trino) and utf8proc (DuckDB) on ASCII and
# the Latin-1 letters; beyond them (upper('ß'), combining marks) they differ.
CASE_SAFE_TEXT = "[\\x20-\\x7e\\t\u00c0-\u00d6\u00d8-\u00de\u00e0-\u00f6\u00f8-\u00fe]*"


def _case_mapping(node: exp.Expression) -> exp.Expression:
    function = type(node).__name__.lower()
    text = node.this
    safe = exp.or_(
        exp.Is(this=text.copy(), expression=exp.Null()),
        _fn("regexp_full_match", text.copy(), _lit(CASE_SAFE_TEXT)),
    )
    if _is(text, exp.DataType.Type.ARRAY):
        return node  # reverse(array)
    refusal = runtime_refusal(f"{function}() of text beyond ASCII and Latin-1 letters")
    return _typed(exp.Case().when(safe, node.copy()).else_(refusal), "varchar")


def _text_concat(node: exp.Expression) -> exp.Expression:
    """``||`` and concat() take varchar (or arrays) only in Trino: 'a' || 1 fails there;
    DuckDB casts the number."""
    operands = [node.this, node.expression] if isinstance(node, exp.DPipe) else node.expressions
    if any(_is(o, exp.DataType.Type.ARRAY) for o in operands):
        return _array_concat_element(node) if isinstance(node, exp.DPipe) else node
    for operand in operands:
        known = operand.type is not None and not operand.type.is_type(
            exp.DataType.Type.UNKNOWN, exp.DataType.Type.NULL
        )
        if known and not operand.type.is_type(*TEXT, exp.DataType.Type.ARRAY):
            raise NotEmulated(
                f"{'||' if isinstance(node, exp.DPipe) else 'concat()'} of a {operand.type.sql(dialect='trino').lower()}"
            )
    return _array_concat_element(node) if isinstance(node, exp.DPipe) else node


REWRITES: dict[type[exp.Expression], Callable] = {
    exp.Add: _date_arithmetic,
    exp.Sub: _date_arithmetic,
    exp.DateAdd: _date_arithmetic,
    exp.DateTrunc: _date_arithmetic,
    exp.TimestampTrunc: _date_arithmetic,
    exp.Sum: _sum,
    exp.Window: _window,
    exp.ArrayContains: _contains,
    exp.ArrayToString: _array_join,
    exp.ArraySize: _cardinality,
    exp.Upper: _case_mapping,
    exp.Lower: _case_mapping,
    exp.Reverse: _case_mapping,
    exp.Concat: _text_concat,
    exp.Unnest: _unnest,
    exp.Round: _rounding,
    exp.Sign: _sign,
    exp.Ceil: _rounding,
    exp.Floor: _rounding,
    exp.Trim: _trim,
    exp.SplitPart: _split_part,
    exp.StrPosition: _str_position,
    exp.Substring: _substring,
    exp.Replace: _replace,
    exp.RegexpLike: _regexp_like,
    exp.RegexpExtract: _regexp_extract,
    exp.RegexpExtractAll: _regexp_extract_all,
    exp.RegexpReplace: _regexp_replace,
    exp.RegexpCount: _regexp_simple("regexp_count", "bigint"),
    exp.RegexpSplit: _regexp_split,
    exp.DateDiff: _date_diff,
    exp.Extract: _extract,
    exp.FromISO8601Date: _from_iso8601_date,
    exp.GenerateSeries: _sequence,
    exp.ArraySort: _array_sort,
    exp.DPipe: _text_concat,
    exp.Bracket: _subscript,
    exp.JSONExtractScalar: _json_extract_scalar,
}

# DuckDB macros the rewrites call, created on each query's connection.
MACROS = [
    # ISO 8601 dates as Joda's dateElementParser reads them (athena_trino._from_iso8601_date):
    # NULL for text outside the forms emulated. Week dates count from the Monday of the
    # week holding January 4th; a week past the year's last is NULL. (try_cast: DuckDB may
    # evaluate a branch's arguments for rows another branch matched.)
    """CREATE MACRO trino_iso_week_day(y, w, d) AS
        make_date(y, 1, 4) + CAST((w - 1) * 7 + d - isodow(make_date(y, 1, 4)) AS INTEGER)""",
    """CREATE MACRO trino_iso8601_date(s) AS CASE
        WHEN regexp_full_match(s, '[1-9][0-9]{3}(-[0-9]{2}(-[0-9]{2})?)?')
            THEN try_cast(s || substr('-01-01', length(s) - 3) AS DATE)
        WHEN regexp_full_match(s, '[1-9][0-9]{3}-[0-9]{3}')
            AND try_cast(s[6:8] AS INTEGER) BETWEEN 1
                AND dayofyear(make_date(try_cast(s[1:4] AS INTEGER), 12, 31))
            THEN make_date(try_cast(s[1:4] AS INTEGER), 1, 1) + try_cast(s[6:8] AS INTEGER) - 1
        WHEN regexp_full_match(s, '[1-9][0-9]{3}-W(0[1-9]|[1-4][0-9]|5[0-3])(-[1-7])?')
            AND isoyear(trino_iso_week_day(try_cast(s[1:4] AS INTEGER),
                try_cast(s[7:8] AS INTEGER), coalesce(try_cast(s[10:10] AS INTEGER), 1)))
                = try_cast(s[1:4] AS INTEGER)
            THEN trino_iso_week_day(try_cast(s[1:4] AS INTEGER), try_cast(s[7:8] AS INTEGER),
                coalesce(try_cast(s[10:10] AS INTEGER), 1))
        END""",
    # the positions (in characters) of every occurrence of sub in s, overlapping ones too
    """CREATE MACRO trino_strpos_all(s, sub) AS list_filter(
        range(1, length(s) - length(sub) + 2), lambda i: substr(s, i, length(sub)) = sub)""",
    # integer division truncating toward zero, as Java's long division
    "CREATE MACRO trunc_div(a, b) AS CAST(trunc(a / b) AS BIGINT)",
    # Joda's month difference (BasicMonthOfYearDateTimeField.getDifferenceAsLong):
    # calendar months from t1 to t2, less one when t2's offset into its month is smaller
    # than t1's, with t1's day clamped when t2 is on the last day of its month.
    """CREATE MACRO trino_month_diff_forward(t1, t2) AS (
        (year(t2) - year(t1)) * 12 + month(t2) - month(t1)
        - CASE WHEN (CAST(t2 AS TIMESTAMP) - date_trunc('month', CAST(t2 AS TIMESTAMP)))
                  < (CASE WHEN day(t2) = day(last_day(t2)) AND day(t1) > day(t2)
                          THEN CAST(t1 AS TIMESTAMP) - INTERVAL (day(t1) - day(t2)) DAY
                          ELSE CAST(t1 AS TIMESTAMP) END
                     - date_trunc('month', CAST(t1 AS TIMESTAMP)))
               THEN 1 ELSE 0 END)""",
    """CREATE MACRO trino_month_diff(t1, t2) AS
        CASE WHEN t2 < t1 THEN -trino_month_diff_forward(t2, t1)
             ELSE trino_month_diff_forward(t1, t2) END""",
]


def rewrite(tree: exp.Expression) -> exp.Expression:
    """Applies :data:`REWRITES` bottom-up; raises :class:`NotEmulated`."""

    # children first (reversed pre-order), so a rewrite copies rewritten arguments
    for node in reversed(list(tree.walk())):
        handler = REWRITES.get(type(node))
        if handler is None:
            continue
        replacement = handler(node)
        if replacement is not node:
            if node is tree:
                return replacement
            node.replace(replacement)
    return tree


# -- typing Trino rejects ----------------------------------------------------------------


class TypeMismatch(Exception):
    """Trino rejects the query at analysis (TYPE_MISMATCH); DuckDB would coerce."""


T = exp.DataType.Type
NUMERIC = (*INTEGER_TYPES, T.DECIMAL, T.DOUBLE, T.FLOAT)
TEMPORAL = (T.DATE, T.TIMESTAMP, T.TIMESTAMPTZ, T.TIMESTAMP_S, T.TIMESTAMP_MS)
CATEGORIES = {
    "numeric": NUMERIC,
    "varchar": tuple(TEXT),
    "date/time": TEMPORAL,
    "boolean": (T.BOOLEAN,),
}
COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ)


def _category(node: exp.Expression | None) -> str | None:
    """numeric / varchar / date/time / boolean, or None when the type is not known
    (quantified subqueries ``= ANY (...)`` are typed boolean by sqlglot: not known)."""
    if node is None or node.type is None or isinstance(node, exp.Any | exp.All | exp.Subquery):
        return None
    for name, types in CATEGORIES.items():
        if node.type.is_type(*types):
            return name
    return None


def _mismatch(what: str, *operands: exp.Expression) -> None:
    kinds = [_category(o) for o in operands]
    known = [k for k in kinds if k is not None]
    if len(set(known)) > 1:
        types = " and ".join(o.type.sql(dialect="trino").lower() for o in operands if o.type)
        raise TypeMismatch(f"Cannot apply {what} to {types}")


def check_types(tree: exp.Expression) -> None:
    """Fails like Trino's analyzer where Trino has no implicit coercion and DuckDB has one
    (https://trino.io/docs/current/language/types.html, TypeCoercion: varchar is never
    coerced to a number, date or boolean): comparisons, BETWEEN, IN, CASE/COALESCE/
    NULLIF/UNION branches mixing varchar with numbers or dates; ``date + integer``;
    conditions that are not boolean; date_add with a fractional amount or a varchar."""
    for node in tree.walk():
        if isinstance(node, COMPARISONS):
            _mismatch(f"operator {node.key}", node.this, node.expression)
        elif isinstance(node, exp.Between):
            _mismatch("BETWEEN", node.this, node.args["low"], node.args["high"])
        elif isinstance(node, exp.In) and node.expressions:
            _mismatch("IN", node.this, *node.expressions)
        elif isinstance(node, exp.If):
            branches = [node.args.get("true"), node.args.get("false")]
            _mismatch("if()", *(b for b in branches if b is not None))
        elif isinstance(node, exp.Array):
            _mismatch("ARRAY[...]", *node.expressions)
        elif isinstance(node, exp.Nullif):
            _mismatch("nullif()", node.this, node.expression)
        elif isinstance(node, exp.Coalesce):
            _mismatch("coalesce()", node.this, *node.expressions)
        elif isinstance(node, exp.Case):
            _mismatch(
                "CASE",
                *(i.args["true"] for i in node.args.get("ifs", [])),
                *([node.args["default"]] if node.args.get("default") else []),
            )
        elif isinstance(node, exp.ArrayContains):
            array = node.this
            elements = array.type.expressions if _is(array, T.ARRAY) else []
            if elements and _category(node.expression):
                holder = exp.Null()
                holder.type = elements[0]
                _mismatch("contains()", holder, node.expression)
        elif isinstance(node, exp.Union | exp.Intersect | exp.Except):
            left, right = node.this, node.expression
            if isinstance(left, exp.Select) and isinstance(right, exp.Select):
                for a, b in zip(left.selects, right.selects, strict=False):
                    _mismatch("a set operation", a, b)
        elif isinstance(node, exp.Add | exp.Sub):
            dated = [o for o in (node.this, node.expression) if _is(o, *TEMPORAL)]
            numbers = [o for o in (node.this, node.expression) if _category(o) == "numeric"]
            if dated and numbers:
                raise TypeMismatch(f"Cannot apply operator {node.key} to a date/time and a number")
        elif isinstance(node, exp.Where | exp.Having | exp.Not):
            _boolean(node.this, type(node).__name__.upper())
        elif isinstance(node, exp.And | exp.Or):
            _boolean(node.this, type(node).__name__.upper())
            _boolean(node.expression, type(node).__name__.upper())
        elif isinstance(node, exp.DateAdd) and (
            _is(node.expression, T.DECIMAL, T.DOUBLE, T.FLOAT) or _is(node.this, *TEXT)
        ):
            raise TypeMismatch("date_add() takes a bigint amount and a date/time value")


def _boolean(node: exp.Expression, clause: str) -> None:
    kind = _category(node)
    if kind is not None and kind != "boolean":
        raise TypeMismatch(
            f"{clause} must evaluate to a boolean, not {node.type.sql(dialect='trino').lower()}"
        )


# -- NaN ---------------------------------------------------------------------------------

NAN_COMPARISON_RESULT = {
    exp.EQ: False,
    exp.GT: False,
    exp.GTE: False,
    exp.LT: False,
    exp.LTE: False,
    exp.NEQ: True,
}


def _nan_comparison(node: exp.Expression) -> exp.Expression:
    """Comparisons with NaN follow IEEE 754 in Trino (NaN = NaN is false, NaN <> NaN is
    true, NaN > 1 is false: TestDoubleOperators); DuckDB orders NaN above every number."""
    operands = [node.this, node.expression]
    if not any(_is(o, T.DOUBLE, T.FLOAT) for o in operands):
        return node
    nan = exp.or_(*(_fn("isnan", o.copy()) for o in operands if _is(o, T.DOUBLE, T.FLOAT)))
    result = exp.true() if NAN_COMPARISON_RESULT[type(node)] else exp.false()
    return _typed(exp.Case().when(nan, result).else_(node.copy()), "boolean")


def _in_doubles(node: exp.In) -> exp.Expression:
    """``x IN (a, b)`` of doubles is ``x = a OR x = b`` with IEEE comparisons."""
    if not node.expressions or not (
        _is(node.this, T.DOUBLE, T.FLOAT)
        or any(_is(e, T.DOUBLE, T.FLOAT) for e in node.expressions)
    ):
        if node.args.get("query") is not None and _is(node.this, T.DOUBLE, T.FLOAT):
            raise NotEmulated("IN (subquery) of doubles")
        return node
    equalities = []
    for element in node.expressions:
        equality = exp.EQ(this=node.this.copy(), expression=element.copy())
        equality.type = exp.DataType.build("boolean")
        equalities.append(_nan_comparison(equality))
    return _typed(exp.or_(*equalities), "boolean")


def _lag_lead(node: exp.Lag | exp.Lead) -> exp.Expression:
    """lag/lead(x, offset, default): the default is coerced to x's type's common super
    type in Trino (lag(int, 1, 0.5e0) is a double); DuckDB keeps x's type. A negative
    offset fails in Trino ("Offset must be at least 0", LagFunction/LeadFunction; a NULL
    one gives NULL there too); DuckDB reads lag(x, -1) as lead(x, 1)."""
    default = node.args.get("default")
    if default is not None and not isinstance(default, exp.Null):
        value = node.this
        same = value.type is not None and default.type is not None and value.type == default.type
        if not same:
            raise NotEmulated(f"{type(node).__name__.lower()}() with a default of another type")
    offset = node.args.get("offset")
    literal = _int_literal(offset)
    if offset is None or (literal is not None and literal >= 0):
        return node
    negative = trino_error(node, "INVALID_FUNCTION_ARGUMENT: Offset must be at least 0")
    checked = exp.Case().when(offset.copy() < _lit(0), negative).else_(offset.copy())
    node.set("offset", _typed(checked, offset.type or "bigint"))
    return node


REWRITES.update(
    {
        exp.EQ: _nan_comparison,
        exp.NEQ: _nan_comparison,
        exp.GT: _nan_comparison,
        exp.GTE: _nan_comparison,
        exp.LT: _nan_comparison,
        exp.LTE: _nan_comparison,
        exp.In: _in_doubles,
        exp.Lag: _lag_lead,
        exp.Lead: _lag_lead,
        exp.GroupConcat: _listagg,
        exp.ArgMax: _min_max_by,
        exp.ArgMin: _min_max_by,
        exp.NthValue: _nth_value,
    }
)
