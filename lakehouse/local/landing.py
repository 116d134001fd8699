"""The local stand-in for S3 -> EventBridge on landing markers (docs/adr/0012).

A producer marks one entity's day complete by writing ``LANDING_MARKER`` in the day's
landing folder (``<raw bucket>/<prefix>/ingest_date=<D>/``), or, for an entity whose
contract lists ``landing.expected_files``, by delivering those files. On AWS each write of that
object is one EventBridge event carrying the object's sequencer; here a scan finds the
markers and delivers each new (key, sequencer) once, the file's modification time in
nanoseconds (hex) standing in for the sequencer: rewriting a marker is a new version, a
new sequencer, and starts a rerun of its date.
"""

from __future__ import annotations

import json
from pathlib import Path

from lakehouse.layout import (
    LANDING_MARKER,
    PREFIXES,
    landing_object_key,
    landing_objects,
    local_bucket_name,
)
from lakehouse.local.executions import LocalExecution, start_landed


def _events_file(lake_dir: Path) -> Path:
    return lake_dir / "_local" / "landing_events.json"


def markers(lake_dir: str | Path) -> dict[str, str]:
    """{key in the raw bucket: sequencer} of every landing object in the lake: each
    entity's marker, or the files its contract lists in ``landing.expected_files`` (what
    the Terraform rule matches on AWS)."""
    bucket = Path(lake_dir) / local_bucket_name(PREFIXES["raw_root"][0])
    found = {}
    for landing in landing_objects():
        for folder in sorted((bucket / landing["prefix"]).glob("ingest_date=*")):
            key = landing_object_key(landing, folder.name.partition("=")[2])
            path = bucket / key
            if path.is_file():
                found[key] = f"{path.stat().st_mtime_ns:X}"
    return found


def write_markers(lake_dir: str | Path, run_date: str, entity: str | None = None) -> list[Path]:
    """What a producer does when its day's files are all delivered: write the empty
    ``LANDING_MARKER`` object in the entity's landing folder of ``run_date`` (every source
    entity's when ``entity`` is None; a second write is a new version: a new sequencer,
    a rerun). An entity whose contract lists expected files has no marker: its files
    complete it. Returns the files written."""
    bucket = Path(lake_dir) / local_bucket_name(PREFIXES["raw_root"][0])
    written = []
    for landing in landing_objects():
        if entity is not None and landing["entity"] != entity:
            continue
        if (landing["head"], landing["dated"], landing["tail"]) != (LANDING_MARKER, 0, ""):
            continue
        marker = bucket / landing_object_key(landing, run_date)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_bytes(b"")
        written.append(marker)
    return written


def deliver_new_markers(lake_dir: str | Path, *, started_listener=None) -> list[LocalExecution]:
    """Start the state machine once per marker write not delivered before (what the
    EventBridge rule does on AWS), oldest date first; returns the hand-over executions.
    Delivered events are remembered in ``<lake>/_local/landing_events.json``.
    ``started_listener``: run date -> listener of each run a marker starts."""
    lake = Path(lake_dir)
    state = _events_file(lake)
    delivered = json.loads(state.read_text("utf-8")) if state.exists() else {}
    started = []
    for key, sequencer in sorted(
        markers(lake).items(), key=lambda kv: (kv[0].split("/")[-2], kv[0])
    ):
        if delivered.get(key) == sequencer:
            continue
        started.append(start_landed(lake, key, sequencer, started_listener=started_listener))
        delivered[key] = sequencer
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(json.dumps(delivered, indent=1, sort_keys=True), "utf-8")
    return started


def started_run(handover: LocalExecution) -> str | None:
    """The name of the run a hand-over execution started (``StartLandedRun``), or None
    when it found the date's landing incomplete."""
    for event in handover.history:
        details = event.get("taskSucceededEventDetails") or {}
        if event.get("type") == "TaskSucceeded" and details.get("resource") == "startExecution":
            return json.loads(details["output"])["ExecutionArn"].rsplit(":", 1)[1]
    return None
