"""How a date's run starts, through the real definition run locally: landing markers
(S3 -> EventBridge; `lakehouse watch`) and the optional EventBridge Scheduler start,
which is the deadline (docs/adr/0012).

Scheduler passes ``{"scheduled_time": "<aws.scheduler.scheduled-time>"}`` (an ISO
timestamp, https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html)
and names every execution at random. The definition must turn that into the run of the
date under a name derived from it, so a second delivery of the same schedule (Scheduler
retries: https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-retry-policy.html)
does not run the date twice: StartExecution with an existing name returns that
execution (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import time
from pathlib import Path

import pytest

from lakehouse.cli import main
from lakehouse.generate import GeneratorConfig, generate
from lakehouse.layout import PREFIXES, landing_marker_key, landing_prefixes, local_bucket_name
from lakehouse.local import outbox
from lakehouse.local.executions import list_executions, start_landed, start_scheduled
from lakehouse.local.landing import markers

pytestmark = pytest.mark.slow
DAY = "2026-03-01"


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory, spark):
    lake = tmp_path_factory.mktemp("scheduled")
    generate(
        GeneratorConfig(
            out=lake,
            start=dt.date.fromisoformat(DAY),
            days=1,
            orders_per_day=40,
            customers=20,
            defect_rate=0.0,
            seed=3,
        )
    )
    first = start_scheduled(lake, f"{DAY}T23:45:00Z")
    second = start_scheduled(lake, f"{DAY}T23:45:00Z")
    return lake, first, second


def test_a_scheduled_start_runs_its_date_under_a_name_of_that_date(scheduled) -> None:
    lake, first, _ = scheduled
    assert first.status == "SUCCEEDED", first.cause
    runs = {e.name: e for e in list_executions(lake)}
    handed_over = runs[f"lakehouse-{DAY}-scheduled"]
    assert handed_over.status == "SUCCEEDED", handed_over.cause
    assert handed_over.run_date == DAY
    started = handed_over.history[0]["executionStartedEventDetails"]["input"]
    assert '"run_date":"2026-03-01"' in started.replace(" ", "")


def test_a_repeated_delivery_does_not_run_the_date_again(scheduled) -> None:
    lake, first, second = scheduled
    assert second.status == "SUCCEEDED", second.cause
    names = [e.name for e in list_executions(lake)]
    assert names.count(f"lakehouse-{DAY}-scheduled") == 1
    # the second delivery found the date's execution and started no job (it checked
    # the landing markers first: none here, so both deliveries alerted)
    scheduled = [e for e in second.history if e["type"] == "TaskScheduled"]
    assert [e["taskScheduledEventDetails"]["resource"] for e in scheduled] == [
        "getItem",
        *["listObjectsV2"] * len(landing_prefixes()),
        "publish",
        "startExecution",
    ]


# ----------------------------------------------------------------- landing markers
D1, D2 = "2026-04-01", "2026-04-02"


def _write_marker(raw: Path, entity: str, day: str) -> None:
    """What a producer does when an entity's files of ``day`` are all delivered."""
    prefix = next(p["prefix"] for p in landing_prefixes() if p["entity"] == entity)
    marker = raw / landing_marker_key(prefix, day)
    marker.write_text("")
    os.utime(marker, ns=(marker.stat().st_atime_ns, time.time_ns()))


@pytest.fixture(scope="module")
def landed(tmp_path_factory, spark):
    """D1 marked complete entity by entity, delivered, delivered again, one marker
    rewritten (a new version); then the deadline of D1 (started by its markers) and of
    D2 (no marker ever written)."""
    lake = tmp_path_factory.mktemp("landed")
    generate(
        GeneratorConfig(
            out=lake,
            start=dt.date.fromisoformat(D1),
            days=2,
            orders_per_day=40,
            customers=20,
            defect_rate=0.0,
            seed=4,
        )
    )
    raw = lake / local_bucket_name(PREFIXES["raw_root"][0])
    entities = [p["entity"] for p in landing_prefixes()]
    seen: dict = {}
    for entity in entities[:-1]:
        _write_marker(raw, entity, D1)
    seen["partial"] = cli("watch", "--lake", str(lake), "--once")
    seen["runs after partial"] = _runs(lake)
    _write_marker(raw, entities[-1], D1)
    seen["complete"] = cli("watch", "--lake", str(lake), "--once")
    seen["runs after complete"] = _runs(lake)
    seen["redelivered"] = cli("watch", "--lake", str(lake), "--once")
    # EventBridge delivers at least once: the event of the marker that completed D1
    # arrives again
    last = landing_marker_key(landing_prefixes()[-1]["prefix"], D1)
    seen["duplicate event"] = start_landed(lake, last, markers(lake)[last])
    seen["runs after duplicates"] = _runs(lake)
    _write_marker(raw, entities[0], D1)
    seen["new version"] = cli("watch", "--lake", str(lake), "--once")
    seen["runs after new version"] = _runs(lake)
    alerts = len(outbox.messages(lake))
    seen["deadline D1"] = start_scheduled(lake, f"{D1}T23:45:00Z")
    seen["deadline D2"] = start_scheduled(lake, f"{D2}T23:45:00Z")
    seen["alerts"] = [m["Subject"] for m in outbox.messages(lake)[alerts:]]
    seen["runs at the end"] = _runs(lake)
    return lake, seen


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def _runs(lake) -> dict[str, str]:
    """{execution name: status} of the runs of a date (hand-overs left out)."""
    return {e.name: e.status for e in list_executions(lake) if e.name.startswith("lakehouse-")}


def test_a_date_starts_when_its_last_entity_marks_it_complete(landed) -> None:
    _, seen = landed
    assert (
        seen["partial"][0] == 0 and "waiting for the other entities' markers" in seen["partial"][1]
    )
    assert seen["runs after partial"] == {}
    code, printed = seen["complete"]
    assert code == 0, printed
    ((name, status),) = seen["runs after complete"].items()
    assert name.startswith(f"lakehouse-{D1}-landed-") and status == "SUCCEEDED"
    assert f"{D1}: {name} SUCCEEDED" in printed


def test_a_marker_delivered_twice_runs_once_and_a_new_version_reruns(landed) -> None:
    _, seen = landed
    assert seen["redelivered"] == (0, "")
    assert seen["duplicate event"].status == "SUCCEEDED"
    assert seen["runs after duplicates"] == seen["runs after complete"]
    new = set(seen["runs after new version"]) - set(seen["runs after complete"])
    assert len(new) == 1 and next(iter(new)).startswith(f"lakehouse-{D1}-landed-")
    assert seen["runs after new version"][next(iter(new))] == "SUCCEEDED"


def test_the_deadline_runs_only_the_date_that_never_completed_and_alerts(landed) -> None:
    _, seen = landed
    assert seen["deadline D1"].status == seen["deadline D2"].status == "SUCCEEDED"
    added = set(seen["runs at the end"]) - set(seen["runs after new version"])
    assert added == {f"lakehouse-{D2}-scheduled"}
    assert seen["runs at the end"][f"lakehouse-{D2}-scheduled"] == "SUCCEEDED"
    assert seen["alerts"] == [f"lakehouse {D2}: landing incomplete at the deadline"]
