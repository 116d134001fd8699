"""The optional EventBridge Scheduler start, through the real definition run locally.

Scheduler passes ``{"scheduled_time": "<aws.scheduler.scheduled-time>"}`` (an ISO
timestamp, https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html)
and names every execution at random. The definition must turn that into the run of the
date under a name derived from it, so a second delivery of the same schedule (Scheduler
retries: https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-retry-policy.html)
does not run the date twice: StartExecution with an existing name returns that
execution (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
"""

from __future__ import annotations

import datetime as dt

import pytest

from lakehouse.generate import GeneratorConfig, generate
from lakehouse.local.executions import list_executions, start_scheduled

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
    # the second delivery found the date's execution and started no job
    scheduled = [e for e in second.history if e["type"] == "TaskScheduled"]
    assert [e["taskScheduledEventDetails"]["resource"] for e in scheduled] == ["startExecution"]
