"""Trino's ``format(format, args...)`` for the Java format specifiers whose output the
local engine can reproduce exactly.

Trino formats with ``java.lang.String.format`` in the session locale (English), after
turning integers into ``Long``, decimals into ``BigDecimal``, varchars into ``String``
and NULL into ``null`` (FormatFunction; https://trino.io/docs/current/functions/conversion.html#format).
Emulated, for a literal format string: ``%%``; ``%s`` of a varchar, an integer, a boolean
or a decimal (``BigDecimal.toString``, refused below 10^-6 where it is scientific); ``%d`` of an
integer; ``%f`` of a decimal (rounded half up, ``BigDecimal``); explicit indexes
(``%2$s``), a width, the flags ``-`` (left-justify), ``0`` (zero-pad after the sign) and
``,`` (group thousands, for ``d`` and ``f``), and a precision for ``f``. A NULL argument
prints ``null``; a missing one fails (INVALID_FUNCTION_ARGUMENT). Everything else (``%x``,
``%e``, ``%t``, ``%n``, ``%S``, ``%s`` of a double or date, ``+``, ``(``, ``#``, ``<``,
``%d`` of a decimal, ...) is refused.
"""

from __future__ import annotations

import re

from sqlglot import exp

from lakehouse.local.athena_trino import (
    SUPPLEMENTARY_CHARACTER,
    NotEmulated,
    _fn,
    _lit,
    _typed,
    runtime_refusal,
    trino_error,
)
from lakehouse.local.athena_typeof import trino_type

# java.util.Formatter's specifier grammar
SPECIFIER = re.compile(r"%(\d+\$)?([-#+ 0,(<]*)?(\d+)?(\.\d+)?([tT])?([a-zA-Z%])")
FLAGS_ALLOWED = {"s": "-", "d": "-0,", "f": "-0,"}
INTEGERS = {"tinyint", "smallint", "integer", "bigint"}
# the DuckDB type a value of each kind has at run time (checked where not certain)
RUNTIME_TYPES = {
    "integer": ["TINYINT", "SMALLINT", "INTEGER", "BIGINT"],
    "varchar": ["VARCHAR"],
    "boolean": ["BOOLEAN"],
}
DECIMAL_NAME = re.compile(r"decimal\((\d+),(\d+)\)")
PLAIN_DECIMAL_SCALE = 6  # BigDecimal.toString is plain down to 10^-6
MAX_DECIMAL_DIGITS = 38

MACROS = [
    # Java's grouping of the digits of a magnitude, in threes from the right
    """CREATE MACRO trino_grouped(digits) AS
        reverse(rtrim(regexp_replace(reverse(digits), '([0-9]{3})', '\\1,', 'g'), ','))""",
    """CREATE MACRO trino_grouped_number(s) AS trino_grouped(split_part(s, '.', 1))
        || CASE WHEN contains(s, '.') THEN '.' || split_part(s, '.', 2) ELSE '' END""",
    # Formatter.localizedMagnitude: zeros go between the sign and the digits
    """CREATE MACRO trino_zero_padded(sign, digits, width) AS sign || CASE
        WHEN length(sign || digits) >= width THEN digits
        ELSE lpad(digits, CAST(width - length(sign) AS INTEGER), '0') END""",
    # Formatter.appendJustified: spaces up to the width, never truncating
    """CREATE MACRO trino_justified(s, width, left_justify) AS CASE
        WHEN length(s) >= width THEN s
        WHEN left_justify THEN rpad(s, width, ' ')
        ELSE lpad(s, width, ' ') END""",
]


def _kind(argument: exp.Expression) -> tuple[str, bool]:
    """(kind, certain): ``unknown``, ``integer``, ``varchar``, ``boolean`` or
    ``decimal(p,s)``; ``certain`` when fixed by the expression itself (a literal, a
    cast), else from the annotated type, checked at run time."""
    name = trino_type(argument)
    certain = name is not None
    if name is None and argument.type is not None:
        data_type = argument.type
        if data_type.is_type(*exp.DataType.INTEGER_TYPES):
            name = "integer"
        elif data_type.is_type(*exp.DataType.TEXT_TYPES):
            name = "varchar"
        elif data_type.is_type(exp.DataType.Type.BOOLEAN):
            name = "boolean"
        elif data_type.is_type(exp.DataType.Type.DECIMAL) and len(data_type.expressions) == 2:
            precision, scale = (p.this.name for p in data_type.expressions)
            name = f"decimal({precision},{scale})"
    if name in INTEGERS:
        name = "integer"
    elif name is not None and name.startswith("varchar"):
        name = "varchar"
    if name not in ("unknown", "integer", "varchar", "boolean") and not DECIMAL_NAME.fullmatch(
        name or ""
    ):
        raise NotEmulated(f"format() of a {name or 'value of unknown type'} argument")
    return name, certain


def _checked(argument: exp.Expression, kind: str) -> exp.Expression:
    """The argument, failing as not emulated if DuckDB computes it as another type."""
    decimal = DECIMAL_NAME.fullmatch(kind)
    expected = [f"DECIMAL({decimal[1]},{decimal[2]})"] if decimal else RUNTIME_TYPES[kind]
    runtime = _fn("typeof", argument.copy())
    is_expected = exp.In(this=runtime, expressions=[_lit(t) for t in expected])
    what = "format() of an argument of this type"
    return exp.Case().when(is_expected, argument.copy()).else_(runtime_refusal(what))


def _negative_sign(value: exp.Expression) -> exp.Expression:
    return exp.Case().when(value.copy() < _lit(0), _lit("-")).else_(_lit(""))


def _formatted(
    value: exp.Expression, kind: str, conversion: str, flags: str, width: int, precision: int
) -> exp.Expression:
    """The text of a non-NULL ``value`` before justification (Formatter.print)."""
    decimal = DECIMAL_NAME.fullmatch(kind)
    if conversion == "s":
        if kind == "varchar":
            return value.copy()
        text = exp.cast(value.copy(), "varchar")
        if decimal and int(decimal[2]) > PLAIN_DECIMAL_SCALE:
            # BigDecimal.toString is scientific below 10^-6 there (0E-7, 1E-7)
            tiny = _fn("abs", value.copy()) < exp.cast(_lit("0.000001"), "decimal(7,6)")
            what = "format() %s of a decimal below 10^-6"
            return exp.Case().when(tiny, runtime_refusal(what)).else_(text)
        return text
    if conversion == "d" and kind == "integer":
        magnitude = _fn("ltrim", exp.cast(value.copy(), "varchar"), _lit("-"))
    elif conversion == "f" and decimal:
        whole, scale = int(decimal[1]) - int(decimal[2]), int(decimal[2])
        digits = whole + precision + (1 if precision < scale else 0)  # + a carry
        if digits > MAX_DECIMAL_DIGITS:
            raise NotEmulated("format() %f of a decimal this wide")
        # the cast rounds half away from zero, as BigDecimal's HALF_UP
        rounded = exp.cast(_fn("abs", value.copy()), f"decimal({max(digits, 1)},{precision})")
        magnitude = exp.cast(rounded, "varchar")
    else:
        raise NotEmulated(f"format() %{conversion} of a {kind} argument")
    if "," in flags:
        magnitude = _fn("trino_grouped_number", magnitude)
    sign = _negative_sign(value)  # of the value before rounding: -0.004 is -0.00
    if "0" in flags:
        return _fn("trino_zero_padded", sign, magnitude, _lit(width))
    return _fn("concat", sign, magnitude)


def _piece(match: re.Match, argument: exp.Expression) -> exp.Expression:
    _, flags, width_text, precision_text, _, conversion = match.groups()
    flags = flags or ""
    width = int(width_text) if width_text else None
    kind, certain = _kind(argument)
    needs_width = ("-" in flags or "0" in flags) and width is None
    if needs_width or len(set(flags)) != len(flags) or {"-", "0"} <= set(flags):
        raise NotEmulated(f"format() specifier {match.group(0)}")
    if precision_text and conversion != "f":
        raise NotEmulated(f"format() specifier {match.group(0)}")
    precision = int(precision_text[1:]) if precision_text else 6
    if kind == "unknown":
        text: exp.Expression = _lit("null")
    else:
        value = argument if certain else _checked(argument, kind)
        formatted = _formatted(value, kind, conversion, flags, width or 0, precision)
        text = exp.Case().when(exp.Is(this=argument.copy(), expression=exp.Null()), _lit("null"))
        if kind == "varchar" and width is not None:
            # Java pads by UTF-16 units, DuckDB counts characters
            beyond = _fn("regexp_matches", argument.copy(), _lit(SUPPLEMENTARY_CHARACTER))
            text = text.when(beyond, runtime_refusal("format() with a width of this text"))
        text = text.else_(formatted)
    if width is not None:
        text = _fn("trino_justified", text, _lit(width), exp.Boolean(this="-" in flags))
    return text


def _java_rejects(flags: str, width: str | None, precision: str | None, conversion: str) -> bool:
    """A specifier java.util.Formatter rejects while parsing, whatever the arguments
    (Formatter.FormatSpecifier: checkGeneral, checkInteger, checkNumeric, Flags.parse)."""
    if len(set(flags)) != len(flags) or conversion not in FLAGS_ALLOWED:
        return len(set(flags)) != len(flags)  # DuplicateFormatFlags
    if conversion == "s":
        return bool(set(flags) & set("+ 0,(")) or ("-" in flags and width is None)
    no_width = ("-" in flags or "0" in flags) and width is None
    both = {"-", "0"} <= set(flags) or {"+", " "} <= set(flags)
    return no_width or both or (conversion == "d" and (precision is not None or "#" in flags))


def _format(node: exp.Format) -> exp.Expression:
    template, arguments = node.this, node.expressions
    if not (isinstance(template, exp.Literal) and template.is_string) or not arguments:
        raise NotEmulated("format() with a format that is not a string literal")
    if node.find_ancestor(exp.Try) is not None:
        # an argument failing inside TRY makes the whole call NULL in Trino
        raise NotEmulated("format() inside TRY")
    text = template.this
    invalid = f"INVALID_FUNCTION_ARGUMENT: Invalid format string: {text}"
    for specifier in SPECIFIER.finditer(text):
        _, flags, width, precision, time, conversion = specifier.groups()
        is_specifier = specifier.group(0) != "%%" and not time
        if is_specifier and _java_rejects(flags or "", width, precision, conversion):
            return exp.cast(trino_error(node, invalid), "varchar")
    pieces: list[exp.Expression] = []
    position, ordinary = 0, 0
    for match in re.finditer(r"%", text):
        start = match.start()
        if start < position:
            continue  # the % of a "%%" already read
        specifier = SPECIFIER.match(text, start)
        if specifier is None:
            raise NotEmulated("format() with this format string")
        pieces.append(_lit(text[position:start]))
        position = specifier.end()
        index, flags, _, _, time, conversion = specifier.groups()
        if specifier.group(0) == "%%":
            pieces.append(_lit("%"))
            continue
        allowed = FLAGS_ALLOWED.get(conversion)
        if time or allowed is None or set(flags or "") - set(allowed):
            raise NotEmulated(f"format() specifier {specifier.group(0)}")
        if index:
            number = int(index[:-1]) - 1
            if number < 0:
                raise NotEmulated(f"format() specifier {specifier.group(0)}")
        else:
            number, ordinary = ordinary, ordinary + 1
        if number >= len(arguments):
            # MissingFormatArgumentException -> INVALID_FUNCTION_ARGUMENT
            return exp.cast(trino_error(node, invalid), "varchar")
        pieces.append(_piece(specifier, arguments[number]))
    pieces.append(_lit(text[position:]))
    pieces = [p for p in pieces if not (isinstance(p, exp.Literal) and p.this == "")]
    return _fn("concat", *pieces) if pieces else _lit("")


def rewrite_format(tree: exp.Expression) -> None:
    """Replaces every ``format(...)``, outermost first."""
    while (node := tree.find(exp.Format)) is not None:
        node.replace(_typed(_format(node), "varchar"))
