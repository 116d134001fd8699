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


def raw_value(name: str) -> Column:
    """Trimmed text, with empty strings as null (CSV writes a missing value as '')."""
    trimmed = F.trim(F.col(name))
    return F.when(trimmed == "", F.lit(None)).otherwise(trimmed)


def typed_value(column: ContractColumn) -> Column:
    raw = raw_value(column.name)
    if column.type == "string":
        return raw
    return raw.cast(column.type)


def _rules(column: ContractColumn, ingest_date: str) -> list[tuple[str, Column]]:
    """(reason, failed?) pairs for one column; a null value fails only ``required``."""
    raw = raw_value(column.name)
    typed = typed_value(column)
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
    """array<string> of every failed rule, in contract column order; [] when clean."""
    checks = []
    for column in contract.columns:
        for reason, failed in _rules(column, ingest_date):
            checks.append(F.when(F.coalesce(failed, F.lit(False)), F.lit(reason)))
    found = F.filter(F.array(*checks), lambda r: r.isNotNull())
    return F.array_distinct(found)


def validate(contract: Contract, ingest_date: str) -> Callable[[DataFrame], DataFrame]:
    """Add ``_reasons`` to bronze rows: ['malformed_record'] for unparseable lines,
    else every failed contract rule. Contract columns stay as raw text here."""

    def transform(bronze: DataFrame) -> DataFrame:
        reasons = F.when(F.col("_is_malformed"), F.array(F.lit(MALFORMED))).otherwise(
            reason_list(contract, ingest_date)
        )
        return bronze.withColumn(REASONS, reasons)

    return transform


def typed(contract: Contract) -> Callable[[DataFrame], DataFrame]:
    """Cast contract columns to their types (only for rows that passed validation)."""

    def transform(df: DataFrame) -> DataFrame:
        return df.withColumns({c.name: typed_value(c) for c in contract.columns})

    return transform
