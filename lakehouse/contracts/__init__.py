"""Dataset contracts: the one place columns, keys, partitions, rules and PII live.

The JSON files beside this module are read by the Spark jobs (schemas, rules), by
Terraform (Glue catalog tables, via ``jsondecode(file(...))``) and by the SQL checks'
configuration, so a column added here appears everywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

CONTRACTS_PACKAGE = "lakehouse.contracts"
SOURCE_ENTITIES = ("customers", "orders", "fx_rates")


def _gold_table_names() -> tuple[str, ...]:
    """Every contract of kind "gold" beside this module, by name: a new gold table is
    one new contract file, as in Terraform (module contracts, ``fileset``)."""
    files = [
        entry
        for entry in resources.files(CONTRACTS_PACKAGE).iterdir()
        if entry.name.endswith(".json") and not entry.name.startswith("_")
    ]
    return tuple(
        sorted(
            entry.name.removesuffix(".json")
            for entry in files
            if json.loads(entry.read_text("utf-8")).get("kind") == "gold"
        )
    )


GOLD_TABLES = _gold_table_names()


class ContractError(ValueError):
    """A contract file is missing or does not have the expected shape."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    allowed_values: tuple[str, ...] | None = None
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    not_in_future: bool = False
    pii: str | None = None  # "token" | "mask"
    description: str = ""

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Column:
        allowed = raw.get("allowed_values")
        return cls(
            name=raw["name"],
            type=raw["type"],
            required=bool(raw.get("required", False)),
            allowed_values=tuple(allowed) if allowed is not None else None,
            pattern=raw.get("pattern"),
            min=raw.get("min"),
            max=raw.get("max"),
            not_in_future=bool(raw.get("not_in_future", False)),
            pii=raw.get("pii"),
            description=raw.get("description", ""),
        )


@dataclass(frozen=True)
class Partition:
    column: str
    type: str
    from_column: str | None = None


@dataclass(frozen=True)
class Reference:
    column: str
    dataset: str
    column_in_dataset: str
    severity: str


@dataclass(frozen=True)
class Cdc:
    op_column: str
    ordering_column: str
    delete_op: str


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV source writes its fields; the names and defaults of Python's
    ``csv.Dialect``. The default is RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180):
    fields separated by commas, a field holding a comma, quote or line break is quoted,
    and a quote inside a quoted field is written twice (``""``). A source that escapes
    with a backslash instead declares ``"escape_char": "\\\\", "double_quote": false``.
    A line break inside a quoted field is not joined across lines: both physical lines
    are quarantined as malformed (docs/adr/0008-landing-file-rules.md)."""

    delimiter: str = ","
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> CsvDialect:
        dialect = cls(**(raw or {}))
        for name in ("delimiter", "quote_char"):
            if len(getattr(dialect, name)) != 1:
                raise ContractError(f"csv.{name} must be one character")
        if dialect.escape_char is not None and len(dialect.escape_char) != 1:
            raise ContractError("csv.escape_char must be one character or null")
        return dialect


@dataclass(frozen=True)
class Contract:
    name: str
    kind: str  # "source" | "gold"
    description: str
    business_key: tuple[str, ...]
    columns: tuple[Column, ...]
    partition: Partition
    source: str | None = None
    format: str | None = None
    cdc: Cdc | None = None
    references: tuple[Reference, ...] = field(default_factory=tuple)
    # A source may legitimately deliver no file for a day (e.g. no changes); without
    # this, a day with zero landing files blocks publish (sql/checks/landing_files_present.sql).
    allow_empty_day: bool = False
    csv: CsvDialect = field(default_factory=CsvDialect)
    # The objects whose presence completes a day's landing: a producer that cannot write
    # the marker (_layers.json landing.marker) declares the files it delivers instead,
    # "{ingest_date}" standing for the day (docs/adr/0012). Empty: the marker.
    landing_files: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise ContractError(f"{self.name}: no column {name!r}; columns are {self.column_names}")

    @property
    def pii_columns(self) -> list[Column]:
        return [c for c in self.columns if c.pii]


def _read_json(name: str) -> dict[str, Any]:
    try:
        text = resources.files(CONTRACTS_PACKAGE).joinpath(f"{name}.json").read_text("utf-8")
    except FileNotFoundError as exc:
        raise ContractError(f"no contract file {name}.json in {CONTRACTS_PACKAGE}") from exc
    return json.loads(text)


@cache
def layers() -> dict[str, Any]:
    """Columns each layer adds (bronze lineage, silver metadata, quarantine shape)."""
    return _read_json("_layers")


LANDING_DATE_PLACEHOLDER = "{ingest_date}"


def _landing_files(name: str, landing: dict[str, Any] | None) -> tuple[str, ...]:
    """``"landing": {"expected_files": [...]}`` of a source contract, checked: file names
    (no "/"), each at most one ``{ingest_date}``, no other braces, no repeats."""
    if landing is None:
        return ()
    files = landing.get("expected_files")
    if set(landing) - {"description", "expected_files"} or not isinstance(files, list) or not files:
        raise ContractError(f'{name}.json: landing must be {{"expected_files": [file names]}}')
    for file in files:
        bare = file.replace(LANDING_DATE_PLACEHOLDER, "", 1) if isinstance(file, str) else None
        if not bare or "/" in bare or "{" in bare or "}" in bare or "*" in bare:
            raise ContractError(
                f"{name}.json: landing.expected_files entry {file!r} must be a file name with "
                f"at most one {LANDING_DATE_PLACEHOLDER} (no '/', braces or '*')"
            )
    if len(set(files)) != len(files):
        raise ContractError(f"{name}.json: landing.expected_files repeats a name: {files}")
    return tuple(files)


@cache
def load(name: str) -> Contract:
    raw = _read_json(name)
    try:
        if raw["kind"] == "source":
            part = raw["silver_partition"]
            partition = Partition(part["column"], part["type"], part["from_column"])
        else:
            part = raw["partition"]
            partition = Partition(part["column"], part["type"])
        cdc = Cdc(**raw["cdc"]) if raw.get("cdc") else None
        return Contract(
            name=raw["name"],
            kind=raw["kind"],
            description=raw.get("description", ""),
            business_key=tuple(raw["business_key"]),
            columns=tuple(Column.from_dict(c) for c in raw["columns"]),
            partition=partition,
            source=raw.get("source"),
            format=raw.get("format"),
            cdc=cdc,
            references=tuple(Reference(**r) for r in raw.get("references", [])),
            allow_empty_day=bool(raw.get("allow_empty_day", False)),
            csv=CsvDialect.from_dict(raw.get("csv")),
            landing_files=_landing_files(name, raw.get("landing")),
        )
    except (KeyError, TypeError) as exc:
        raise ContractError(f"contract {name}.json is malformed: {exc!r}") from exc


def sources() -> list[Contract]:
    return [load(n) for n in SOURCE_ENTITIES]


def gold() -> list[Contract]:
    return [load(n) for n in GOLD_TABLES]
