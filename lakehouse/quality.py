"""Row-level rules from the contracts. Every failing rule is reported (not only the
first), as ``<rule>:<column>``, so quarantine shows everything wrong with a row."""

from __future__ import annotations

import re
from collections.abc import Callable

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lakehouse.contracts import Column as ContractColumn
from lakehouse.contracts import Contract

REASONS = "_reasons"
MALFORMED = "malformed_record"
REPLACEMENT_CHAR = "\ufffd"  # what UTF-8 decoding leaves for invalid bytes
# A timestamp later than this after the end of its ingest date is "in the future":
# sources may run ahead of the ingest date by clock skew, not by days.
FUTURE_TOLERANCE_DAYS = 1


def _raw(name: str) -> str:
    return f"__raw_{name}"


def _typed(name: str) -> str:
    return f"__typed_{name}"


def raw_value(name: str) -> Column:
    """Trimmed text, with empty strings as null (CSV writes a missing value as '')."""
    trimmed = F.trim(F.col(name))
    return F.when(trimmed == "", F.lit(None)).otherwise(trimmed)


# A complete ISO-8601 calendar date, and a complete date-time: hours and minutes at
# least, seconds and up to microsecond fractions (Spark's and Glue's timestamp
# precision; trailing zeros to nanoseconds allowed), `T`, `t` or a space between, and
# an optional UTC designator (`Z`/`z`) or offset (+hh, +hhmm, +hh:mm). Anything
# shorter ("2025-06", "2026-01-02T09") or longer ("2026-01-02 provisional") is not a
# value of the type; Spark's cast would pad or ignore it. Sources: ISO 8601-1:2019
# section 5.4, RFC 3339 section 5.6 (https://www.rfc-editor.org/rfc/rfc3339#section-5.6).
DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2})$"
TIMESTAMP_PATTERN = (
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2})(:\d{2}(?:\.\d{1,6}0{0,3})?)?"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
DECIMAL_TYPE = re.compile(r"^decimal\((\d+),\s*(\d+)\)$")
MAX_DECIMAL_PRECISION = 38


def _canonical_timestamp(raw: Column) -> Column:
    """A matching timestamp text in the one form Spark's cast reads without guessing:
    ``yyyy-MM-ddTHH:mm:ss[.f][offset]`` (seconds added when absent, ``z`` -> ``Z``).
    Without an offset the value is UTC (the session time zone, lakehouse/spark.py)."""

    def group(i: int) -> Column:
        return F.regexp_extract(raw, TIMESTAMP_PATTERN, i)

    seconds = F.when(group(3) == "", F.lit(":00")).otherwise(group(3))
    return F.concat(group(1), F.lit("T"), group(2), seconds, F.upper(group(4)))


def decimal_scale(column_type: str) -> tuple[int, int] | None:
    """(precision, scale) of a ``decimal(p,s)`` type, else None."""
    found = DECIMAL_TYPE.match(column_type)
    return (int(found.group(1)), int(found.group(2))) if found else None


def exact_decimal_type(column_type: str) -> str:
    """A decimal type with the column's integer digits and as many fraction digits as
    fit in 38: the source value before any rounding to the column's scale."""
    precision, scale = decimal_scale(column_type) or (MAX_DECIMAL_PRECISION, 0)
    return f"decimal({MAX_DECIMAL_PRECISION},{MAX_DECIMAL_PRECISION - (precision - scale)})"


def typed_value(column: ContractColumn, raw: Column) -> Column:
    """The raw text as the column's type, NULL when it is not a complete value of it.
    Decimals are rounded to the column's scale here; :func:`exact_value` keeps the
    source value, and ``out_of_scale`` quarantines a value the rounding would change."""
    if column.type == "string":
        return raw
    if column.type == "date":
        return F.when(raw.rlike(DATE_PATTERN), raw.cast("date"))
    if column.type == "timestamp":
        return F.when(raw.rlike(TIMESTAMP_PATTERN), _canonical_timestamp(raw).cast("timestamp"))
    return raw.cast(column.type)


def exact_value(column: ContractColumn, raw: Column, typed: Column) -> Column:
    """What range checks compare: for a decimal the source value unrounded (up to 38
    digits), for other types the typed value."""
    if decimal_scale(column.type) is None:
        return typed
    return F.when(typed.isNotNull(), raw.cast(exact_decimal_type(column.type)))


def _beyond_scale(column: ContractColumn, raw: Column, typed: Column) -> Column:
    """A decimal whose source text has more significant fraction digits than the
    column's scale (trailing zeros are not digits of the value: 12.340 is 12.34)."""
    exact = exact_value(column, raw, typed)
    precision, scale = decimal_scale(column.type) or (MAX_DECIMAL_PRECISION, 0)
    exact_scale = MAX_DECIMAL_PRECISION - (precision - scale)
    # digits past what the exact type holds: seen in the text (plain notation only)
    too_long = raw.rlike(rf"^[+-]?[0-9]*\.[0-9]{{{exact_scale}}}[0-9]*[1-9][0-9]*$")
    return typed.isNotNull() & ((exact != typed) | too_long)


def _rules(column: ContractColumn, ingest_date: str) -> list[tuple[str, Column]]:
    """(reason, failed?) pairs for one column; a null value fails only ``required``."""
    raw = F.col(_raw(column.name))
    typed = F.col(_typed(column.name))
    exact = exact_value(column, raw, typed)
    name = column.name
    rules = [
        (f"invalid_encoding:{name}", F.coalesce(raw.contains(REPLACEMENT_CHAR), F.lit(False))),
        (f"missing_required:{name}", raw.isNull() if column.required else F.lit(False)),
        (f"invalid_type:{name}", raw.isNotNull() & typed.isNull()),
    ]
    if decimal_scale(column.type) is not None:
        rules.append((f"out_of_scale:{name}", _beyond_scale(column, raw, typed)))
    if column.allowed_values is not None:
        rules.append((f"not_allowed:{name}", ~typed.isin(*column.allowed_values)))
    if column.pattern is not None:
        rules.append((f"invalid_format:{name}", ~typed.rlike(column.pattern)))
    if column.min is not None:
        rules.append((f"out_of_range:{name}", exact < F.lit(column.min)))
    if column.max is not None:
        rules.append((f"out_of_range:{name}", exact > F.lit(column.max)))
    if column.not_in_future:
        latest = F.date_add(F.lit(ingest_date).cast("date"), 1 + FUTURE_TOLERANCE_DAYS)
        rules.append((f"in_future:{name}", typed.cast("timestamp") >= latest.cast("timestamp")))
    return rules


def reason_list(contract: Contract, ingest_date: str) -> Column:
    """array<string> of every failed rule, in contract column order; [] when clean.
    Reads the ``__raw_*`` / ``__typed_*`` columns that :func:`validate` projects."""
    checks = []
    for column in contract.columns:
        for reason, failed in _rules(column, ingest_date):
            checks.append(F.when(F.coalesce(failed, F.lit(False)), F.lit(reason)))
    found = F.filter(F.array(*checks), lambda r: r.isNotNull())
    return F.array_distinct(found)


def validate(contract: Contract, ingest_date: str) -> Callable[[DataFrame], DataFrame]:
    """Add ``_reasons`` to bronze rows: ['malformed_record'] for unparseable lines,
    else every failed contract rule. Contract columns stay as raw text here; the
    typed values ride along in ``__typed_*`` columns for :func:`typed`."""

    def transform(bronze: DataFrame) -> DataFrame:
        # Raw and typed values are projected once as columns so every rule refers to
        # an attribute; inlined, the rule expressions grow large enough that code
        # generation dominates the job's run time.
        with_raw = bronze.withColumns({_raw(c.name): raw_value(c.name) for c in contract.columns})
        with_typed = with_raw.withColumns(
            {_typed(c.name): typed_value(c, F.col(_raw(c.name))) for c in contract.columns}
        )
        reasons = F.when(F.col("_is_malformed"), F.array(F.lit(MALFORMED))).otherwise(
            reason_list(contract, ingest_date)
        )
        return with_typed.withColumn(REASONS, reasons)

    return transform


def typed(contract: Contract) -> Callable[[DataFrame], DataFrame]:
    """Contract columns as their types (only meaningful for rows that passed)."""

    def transform(validated: DataFrame) -> DataFrame:
        typed_columns = {c.name: F.col(_typed(c.name)) for c in contract.columns}
        helpers = [name for c in contract.columns for name in (_raw(c.name), _typed(c.name))]
        return validated.withColumns(typed_columns).drop(*helpers)

    return transform
