"""The defect manifest and the run summary: the ground truth tests compare against.

``<out>/_generator/ingest_date=<D>/defects.jsonl`` has one object per injected
defect; ``<out>/_generator/summary.json`` has per-day line, CDC and defect counts and
the generator's arguments. Both live outside the buckets so no job ever ingests them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lakehouse.generate.defects import DEFECT_KINDS

MANIFEST_NAME = "defects.jsonl"
SUMMARY_NAME = "summary.json"


class DefectLog:
    """Appends manifest entries for one ingest date and counts them per kind."""

    def __init__(self, generator_dir: Path, day_iso: str):
        directory = generator_dir / f"ingest_date={day_iso}"
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / MANIFEST_NAME
        self.counts: Counter[str] = Counter()
        self._handle = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115

    def record(
        self,
        kind: str,
        entity: str,
        file: str,
        line: int | None,
        business_key: str | None,
    ) -> None:
        entry = {
            "kind": kind,
            "entity": entity,
            "file": file,
            "line": line,
            "business_key": business_key,
            "expected": DEFECT_KINDS[kind].expected(),
        }
        self._handle.write(json.dumps(entry, separators=(",", ":")) + "\n")
        self.counts[kind] += 1

    def copy_entries(self, from_file: str, to_file: str) -> None:
        """Record again every defect of ``from_file`` for its byte-identical copy.

        Streams the entries written so far instead of keeping them in memory."""
        self._handle.flush()
        written_so_far = self._handle.tell()
        with open(self.path, encoding="utf-8") as reader:
            while reader.tell() < written_so_far:
                entry = json.loads(reader.readline())
                if entry["file"] == from_file:
                    self.record(
                        entry["kind"],
                        entry["entity"],
                        to_file,
                        entry["line"],
                        entry["business_key"],
                    )

    def close(self) -> None:
        self._handle.close()


@dataclass
class DayStats:
    """Counts for one ingest date, as they appear in summary.json."""

    files: dict[str, dict[str, object]] = field(default_factory=dict)
    lines: Counter[str] = field(default_factory=Counter)
    events: dict[str, Counter[str]] = field(default_factory=dict)

    def add_file(self, entity: str, relative_path: str, lines: int) -> None:
        self.files[relative_path] = {"entity": entity, "lines": lines}
        self.lines[entity] += lines

    def count_event(self, entity: str, what: str, amount: int = 1) -> None:
        self.events.setdefault(entity, Counter())[what] += amount

    def as_json(self, defect_counts: Counter[str]) -> dict[str, object]:
        return {
            "files": dict(sorted(self.files.items())),
            "lines": dict(sorted(self.lines.items())),
            "events": {
                entity: dict(sorted(c.items())) for entity, c in sorted(self.events.items())
            },
            "defects": dict(sorted(defect_counts.items())),
        }


def write_summary(generator_dir: Path, arguments: dict[str, object], days: dict[str, dict]) -> Path:
    totals_lines: Counter[str] = Counter()
    totals_defects: Counter[str] = Counter()
    for day in days.values():
        totals_lines.update(day["lines"])
        totals_defects.update(day["defects"])
    summary = {
        "arguments": arguments,
        "days": days,
        "totals": {
            "lines": dict(sorted(totals_lines.items())),
            "defects": dict(sorted(totals_defects.items())),
        },
    }
    generator_dir.mkdir(parents=True, exist_ok=True)
    path = generator_dir / SUMMARY_NAME
    temporary = path.with_name(f".{SUMMARY_NAME}.tmp")
    temporary.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path
