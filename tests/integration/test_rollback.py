"""`lakehouse rollback --date D` through the real state machine definition executed
locally: what readers see before and after, the run manifest and the alert."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from lakehouse.cli import main
from lakehouse.local import outbox
from lakehouse.local.executions import list_executions, run_pipeline
from lakehouse.local.report import summarise
from lakehouse.local.statemachine_local import local_values
from lakehouse.steps import run_manifest_location
from tests.integration.conftest import ROLLED_BACK_DATES
from tests.integration.test_gate import GOLD_TABLES, query

pytestmark = pytest.mark.slow
D1, D2, _ = ROLLED_BACK_DATES


def readers(lake) -> dict[str, list[list[str | None]]]:
    """Every row of every gold view, as Athena returns them, in a fixed order."""
    return {t: sorted(query(lake, f"select * from gold.{t}"), key=str) for t in GOLD_TABLES}


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


@pytest.fixture(scope="session")
def rolled(rolled_back, tmp_path_factory, spark):
    """D1 and D2 published, D2 rolled back (the `rolled_back` lake of conftest.py, shared
    with test_maintenance.py), then on this module's copy: rolled back again (nothing
    left), rerun."""
    lake = rolled_back.copy_to(tmp_path_factory.mktemp("rollback") / "lake")
    seen = {
        "after D1": rolled_back.readers_after_d1,
        "after D2": rolled_back.readers_after_d2,
        "rollback": rolled_back.rollback,
    }
    seen["after rollback"] = readers(lake)
    seen["alerts"] = outbox.messages(lake)[rolled_back.alerts_before_rollback :]
    seen["report"] = {d.run_date: d for d in summarise(lake)}
    seen["again"] = cli("rollback", "--lake", str(lake), "--date", D2)
    seen["after again"] = readers(lake)
    assert run_pipeline(lake, D2, rerun=True).status == "SUCCEEDED"
    seen["after rerun"] = readers(lake)
    return lake, seen


def test_readers_see_again_what_they_saw_before_the_rolled_back_run(rolled) -> None:
    _, seen = rolled
    assert seen["after D2"] != seen["after D1"], "D2 must change what readers see"
    code, printed = seen["rollback"]
    assert code == 0, printed
    assert seen["after rollback"] == seen["after D1"]
    assert f"rolled back run lakehouse-{D2}" in printed


def test_the_rollback_is_recorded_in_the_run_manifest_and_alerted(rolled) -> None:
    lake, seen = rolled
    rollback = next(e for e in list_executions(lake) if e.name == f"lakehouse-{D2}-rollback")
    assert rollback.status == "SUCCEEDED"
    values = local_values()
    record = json.loads(
        (
            lake
            / values["ops_bucket"]
            / run_manifest_location(values["ops_prefix"], D2, rollback.name)
        ).read_text("utf-8")
    )
    assert record["status"] == "ROLLED_BACK"
    assert record["rolled_back_run"] == f"lakehouse-{D2}"
    moved = {(p["table"], p["partition_value"]): p["to_run"] for p in record["partitions"]}
    # D2's customer snapshot did not exist before D2: it is unpublished, not pointed back
    assert moved[("dim_customer", D2)] is None
    assert all(to in (None, f"lakehouse-{D1}") for to in moved.values()), moved
    assert [m["Subject"] for m in seen["alerts"]] == [f"lakehouse {D2}: rolled back"]
    assert f"{len(moved)} partitions moved" in seen["alerts"][0]["Message"]
    assert seen["report"][D2].status == "ROLLED_BACK"
    assert seen["report"][D1].status == "PUBLISHED"


def test_a_second_rollback_with_nothing_left_fails_loudly_and_changes_nothing(rolled) -> None:
    _, seen = rolled
    code, printed = seen["again"]
    assert code == 1
    assert f"nothing to roll back: readers see no published run of {D2}" in printed
    assert seen["after again"] == seen["after rollback"]


def test_a_rerun_after_a_rollback_publishes_the_date_again(rolled) -> None:
    _, seen = rolled
    assert seen["after rerun"] == seen["after D2"]
