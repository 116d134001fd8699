"""The catalogue of injectable defects and what the pipeline is expected to do with each.

The catalogue is the generator's half of a contract with the bronze/silver/gold
jobs: each injected defect is written to the defect manifest together with the
layer where it should end up and, for quarantined rows, the exact reason string.
"""

from __future__ import annotations

from dataclasses import dataclass

LINE = "line"
FILE = "file"

# Where a defect is expected to surface.
QUARANTINE = "quarantine"  # silver sends the row to quarantine with `reason`
SILVER = "silver"  # silver accepts the rows
BRONZE_ONLY = "bronze_only"  # kept in bronze, collapsed away in silver
GOLD = "gold"  # visible only in how gold handles it
NONE = "none"  # no rows, no error


@dataclass(frozen=True)
class DefectKind:
    name: str
    level: str  # LINE | FILE
    entities: tuple[str, ...]
    layer: str
    reason: str | None
    description: str

    def expected(self) -> dict[str, str | None]:
        return {"layer": self.layer, "reason": self.reason}


_KINDS = (
    DefectKind("malformed_csv_line", LINE, ("customers", "fx_rates"), QUARANTINE,
               "malformed_record", "line truncated to fewer fields than the header"),
    DefectKind("malformed_json_line", LINE, ("orders",), QUARANTINE,
               "malformed_record", "JSON object truncated mid-record"),
    DefectKind("wrong_type", LINE, ("orders",), QUARANTINE,
               "invalid_type:amount", 'amount is the string "abc"'),
    DefectKind("missing_key", LINE, ("orders",), QUARANTINE,
               "missing_required:order_id", "order_id key absent from the object"),
    DefectKind("null_required_field", LINE, ("customers",), QUARANTINE,
               "missing_required:country", "country is empty"),
    DefectKind("unknown_status", LINE, ("orders",), QUARANTINE,
               "not_allowed:status", 'status is "LOST"'),
    DefectKind("negative_amount", LINE, ("orders",), QUARANTINE,
               "out_of_range:amount", "amount is negated"),
    DefectKind("absurd_amount", LINE, ("orders",), QUARANTINE,
               "out_of_range:amount", "amount is 5e7"),
    DefectKind("unknown_currency", LINE, ("orders",), QUARANTINE,
               "not_allowed:currency", 'currency is "XYZ"'),
    DefectKind("unknown_customer", LINE, ("orders",), SILVER, None,
               "new order (op I) for a customer id never generated (C9xxxxx); the "
               "order keeps that id in all its later events"),
    DefectKind("future_timestamp", LINE, ("orders",), QUARANTINE,
               "in_future:updated_at", "updated_at one year after the ingest date"),
    DefectKind("non_utf8", LINE, ("customers",), QUARANTINE,
               "invalid_encoding:email", "e-mail contains the Latin-1 byte 0xE9"),
    DefectKind("fx_rate_missing", FILE, ("fx_rates",), GOLD, None,
               "one non-USD currency's row absent from the day's file"),
    DefectKind("duplicate_file", FILE, ("customers", "orders"), BRONZE_ONLY, None,
               "the day's main file delivered again under the next file number"),
    DefectKind("empty_file", FILE, ("customers", "orders", "fx_rates"), NONE, None,
               "an extra file with no data lines (CSV header only, 0-byte JSONL)"),
    DefectKind("extra_column", FILE, ("customers",), SILVER, None,
               "an extra customers file whose rows carry a loyalty_tier column"),
    DefectKind("missing_column", FILE, ("customers",), SILVER, None,
               "an extra customers file without the phone column"),
)  # fmt: skip

DEFECT_KINDS: dict[str, DefectKind] = {kind.name: kind for kind in _KINDS}
LINE_KINDS = tuple(k.name for k in _KINDS if k.level == LINE)
FILE_KINDS = tuple(k.name for k in _KINDS if k.level == FILE)


class UnknownDefectKindError(ValueError):
    """A defect name that is not in the catalogue."""


def parse_defect_kinds(text: str) -> tuple[str, ...]:
    """``all`` | ``none`` | comma-separated kind names -> kinds in catalogue order."""
    cleaned = text.strip().lower()
    if cleaned == "all":
        return tuple(DEFECT_KINDS)
    if cleaned in {"none", ""}:
        return ()
    wanted = {part.strip() for part in cleaned.split(",") if part.strip()}
    unknown = sorted(wanted - DEFECT_KINDS.keys())
    if unknown:
        raise UnknownDefectKindError(
            f"unknown defect kind(s) {unknown}; expected 'all', 'none' or names from "
            f"{sorted(DEFECT_KINDS)}"
        )
    return tuple(name for name in DEFECT_KINDS if name in wanted)


def line_kinds_for(entity: str, enabled: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        name
        for name in enabled
        if DEFECT_KINDS[name].level == LINE and entity in DEFECT_KINDS[name].entities
    )
