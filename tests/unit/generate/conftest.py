"""Fixtures for the generator tests: a generated lake, a reader for its files and an
oracle that checks records against the dataset contracts (independently of the
generator's own code)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pytest

from lakehouse import contracts
from lakehouse.generate import GeneratorConfig, generate

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SOURCES = {"customers": "shop", "orders": "shop", "fx_rates": "finance"}


@dataclass(frozen=True)
class Record:
    entity: str
    file: str  # relative to the raw root
    line: int  # 1-based data line
    ingest_date: str
    raw: str  # decoded with surrogateescape: invalid bytes survive as lone surrogates
    fields: dict[str, str] | None  # None when the line does not parse

    @property
    def key(self) -> tuple[str, int]:
        return (self.file, self.line)


def parse_line(entity: str, header: list[str] | None, raw: str) -> dict[str, str] | None:
    if entity == "orders":
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None
    values = next(csv.reader([raw]))
    assert header is not None
    return dict(zip(header, values, strict=True)) if len(values) == len(header) else None


def rule_violations(entity: str, fields: dict, ingest_date: str) -> list[str]:
    """Reasons a parsed record breaks its contract, as ``rule:column`` (silver's words).

    A timestamp (or date) is in the future when it is at or after the end of its
    ingest date: the generator never writes a clean event later than its delivery."""
    end_of_day = (dt.date.fromisoformat(ingest_date) + dt.timedelta(days=1)).isoformat()
    found = []
    for column, pattern in _columns_with_patterns(entity):
        value = fields.get(column.name)
        text = "" if value is None else str(value)
        if any(0xDC80 <= ord(ch) <= 0xDCFF for ch in text):  # undecodable bytes
            found.append(f"invalid_encoding:{column.name}")
        elif text == "":
            if column.required:
                found.append(f"missing_required:{column.name}")
        else:
            found.extend(_typed_rules(column, pattern, value, text, end_of_day))
    return found


@cache
def _columns_with_patterns(entity: str) -> list[tuple[contracts.Column, re.Pattern | None]]:
    return [
        (column, re.compile(column.pattern) if column.pattern else None)
        for column in contracts.load(entity).columns
    ]


def _typed_rules(column, pattern, value, text: str, end_of_day: str) -> list[str]:
    name = column.name
    if column.type.startswith("decimal"):
        try:
            number = float(text) if not isinstance(value, bool) else float("nan")
        except ValueError:
            number = float("nan")
        if math.isnan(number):  # not a number at all
            return [f"invalid_type:{name}"]
        if (column.min is not None and number < column.min) or (
            column.max is not None and number > column.max
        ):
            return [f"out_of_range:{name}"]
        return []
    if column.allowed_values is not None and text not in column.allowed_values:
        return [f"not_allowed:{name}"]
    if pattern is not None and not pattern.search(text):
        return [f"invalid_format:{name}"]
    if column.type == "timestamp":
        if not TIMESTAMP.match(text):
            return [f"invalid_type:{name}"]
        return [f"in_future:{name}"] if text >= end_of_day else []  # same ISO shape
    if column.type == "date":
        if not DATE.match(text):
            return [f"invalid_type:{name}"]
        return [f"in_future:{name}"] if text >= end_of_day else []
    return []


class Lake:
    """Reads back what the generator wrote into one lake directory."""

    def __init__(self, out: Path, summary=None):
        self.out = out
        self.generation = summary
        self.raw_root = summary.raw_root if summary else None
        self.generator_dir = out / "_generator"

    def raw_files(self, entity: str | None = None) -> list[Path]:
        entities = [entity] if entity else list(SOURCES)
        found = []
        for name in entities:
            found.extend(sorted((self.raw_root / SOURCES[name] / name).glob("*/*")))
        return found

    def relative(self, path: Path) -> str:
        return path.relative_to(self.raw_root).as_posix()

    def records(self, entity: str) -> list[Record]:
        return self._records[entity]

    @cached_property
    def _records(self) -> dict[str, list[Record]]:
        return {entity: list(self._read(entity)) for entity in SOURCES}

    def _read(self, entity: str):
        for path in self.raw_files(entity):
            text = path.read_bytes().decode("utf-8", errors="surrogateescape")
            lines = text.split("\n")
            assert lines[-1] == "", f"{path} does not end with a newline"
            lines = lines[:-1]
            header = None
            if entity != "orders":
                header, lines = next(csv.reader([lines[0]])), lines[1:]
            ingest_date = path.parent.name.removeprefix("ingest_date=")
            for number, raw in enumerate(lines, start=1):
                fields = parse_line(entity, header, raw)
                yield Record(entity, self.relative(path), number, ingest_date, raw, fields)

    @cached_property
    def violations(self) -> dict[tuple[str, int], list[str]]:
        """(file, line) -> contract rules the line breaks; ["malformed_record"] when it
        does not parse. Computed once per lake, it is the costly part of the checks."""
        found = {}
        for entity in SOURCES:
            for record in self.records(entity):
                if record.fields is None:
                    found[record.key] = ["malformed_record"]
                else:
                    found[record.key] = rule_violations(entity, record.fields, record.ingest_date)
        return found

    def manifest(self) -> list[dict]:
        entries = []
        for path in sorted(self.generator_dir.glob("ingest_date=*/defects.jsonl")):
            day = path.parent.name.removeprefix("ingest_date=")
            for line in path.read_text("utf-8").splitlines():
                entries.append({**json.loads(line), "_day": day})
        return entries

    def defective_lines(self) -> set[tuple[str, int]]:
        return {(e["file"], e["line"]) for e in self.manifest() if e["line"] is not None}

    def summary(self) -> dict:
        return json.loads((self.generator_dir / "summary.json").read_text("utf-8"))

    def clean_records(self, entity: str) -> list[Record]:
        defective = self.defective_lines()
        return [r for r in self.records(entity) if r.key not in defective]


def make_lake(out: Path, **overrides) -> Lake:
    config = GeneratorConfig(out=out, **overrides)
    return Lake(out, generate(config))


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def default_lake(tmp_path_factory) -> Lake:
    """The README's default run: 7 days, 5000 orders/day, 2000 customers, 2% defects, all kinds."""
    return make_lake(tmp_path_factory.mktemp("default-lake"))


@pytest.fixture(scope="session")
def clean_lake(tmp_path_factory) -> Lake:
    """Two weeks without defects: long enough for returns of orders placed in the lake."""
    out = tmp_path_factory.mktemp("clean-lake")
    return make_lake(out, days=14, orders_per_day=800, customers=400, defect_rate=0.0)


# Helpers reach the tests as fixtures so they work under any pytest import mode.
@pytest.fixture
def lake_factory():
    return make_lake


@pytest.fixture
def read_tree():
    return tree_bytes


@pytest.fixture
def contract_violations():
    return rule_violations
