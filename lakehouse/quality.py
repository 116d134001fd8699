"""Row-level rules from the contracts. Every failing rule is reported (not only the
first), as ``<rule>:<column>``, so quarantine shows everything wrong with a row."""

from __future__ import annotations

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


def typed_value(column: ContractColumn, raw: Column) -> Column:
    return raw if column.type == "string" else raw.cast(column.type)


def _rules(column: ContractColumn, ingest_date: str) -> list[tuple[str, Column]]:
    """(reason, failed?) pairs for one column; a null value fails only ``required``."""
    raw = F.col(_raw(column.name))
    typed = F.col(_typed(column.name))
    name = column.name
    rules = [
        (f"invalid_encoding:{name}", F.coalesce(raw.contains(REPLACEMENT_CHAR), F.lit(False))),
        (f"missing_required:{name}", raw.isNull() if column.required else F.lit(False)),
        (f"invalid_type:{name}", raw.isNotNull() & typed.isNull()),
    ]
    if column.allowed_values is not None:
        rules.append((f"not_allowed:{name}", ~typed.isin(*column.allowed_values)))
    if column.pattern is not None:
        rules.append((f"invalid_format:{name}", ~typed.rlike(column.pattern)))
    if column.min is not None:
        rules.append((f"out_of_range:{name}", typed < F.lit(column.min)))
    if column.max is not None:
        rules.append((f"out_of_range:{name}", typed > F.lit(column.max)))
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
