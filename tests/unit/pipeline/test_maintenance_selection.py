"""The maintenance job's selection rules (lakehouse/maintenance.py), without Spark: which
publications are kept, which staged run folders expire, which partitions are
compacted, which bronze dates retention drops; its arguments, lock check and summary."""

from __future__ import annotations

import re

import pytest

from lakehouse.contracts import layers
from lakehouse.layout import Roots
from lakehouse.maintenance import (
    MaintenanceArgs,
    MaintenanceRefused,
    dates_to_drop,
    kept_publications,
    latest_staged_run,
    local_lake_dir,
    partitions_to_compact,
    refuse_while_run_lock_held,
    rerun_horizon_days,
    retention_cutoff,
    run_folder_of,
    runs_to_expire,
    summary_lines,
)
from lakehouse.runtime import JobArgumentError

# publication location -> the runs it names; run -> the publication it replaced
PUBLICATIONS = {
    "pub/r3": {"r1", "r3"},
    "pub/rollback": {"r1"},
    "pub/r2": {"r1", "r2"},
    "pub/r1": {"r1"},
    "pub/none": set(),
    "pub/unreachable": {"r0"},
}
PREVIOUS = {"r3": "pub/rollback", "r2": "pub/r1", "r1": "pub/none"}


def test_kept_publications_follow_previous_publications_of_named_runs() -> None:
    kept = kept_publications("pub/r3", PUBLICATIONS.__getitem__, PREVIOUS)

    # r3 replaced the rollback's publication; r1 (named by both) replaced none.
    # pub/r2 names r2, which a rollback of r3 can no longer restore.
    assert kept == ["pub/none", "pub/r3", "pub/rollback"]


def test_kept_publications_reach_as_far_back_as_rollbacks_can_go() -> None:
    kept = kept_publications("pub/r2", PUBLICATIONS.__getitem__, PREVIOUS)

    assert kept == ["pub/none", "pub/r1", "pub/r2"]


def test_no_current_publication_keeps_nothing() -> None:
    assert kept_publications(None, PUBLICATIONS.__getitem__, PREVIOUS) == []


def test_a_cycle_of_previous_publications_terminates() -> None:
    names = {"a": {"x"}, "b": {"y"}}
    assert kept_publications("a", names.__getitem__, {"x": "b", "y": "a"}) == ["a", "b"]


def test_runs_to_expire_spares_named_latest_and_referenced_folders() -> None:
    staged = ["r0", "r1", "r2", "r3", "blocked", "maintenance-1", "maintenance-2"]

    expired = runs_to_expire(staged, {"r1", "r3"}, latest="blocked", referenced={"maintenance-2"})

    assert expired == ["maintenance-1", "r0", "r2"]


def test_runs_to_expire_without_a_latest_run() -> None:
    assert runs_to_expire(["a", "b"], {"a"}, latest=None, referenced=set()) == ["b"]


def test_latest_staged_run_is_the_one_recorded_last_among_staged_runs() -> None:
    records = [
        {"run_id": "r1", "recorded_at": "2026-03-01T01:00:00Z"},
        {"run_id": "r2", "recorded_at": "2026-03-02T01:00:00Z"},
        {"run_id": "rollback", "recorded_at": "2026-03-03T01:00:00Z"},  # stages nothing
    ]

    assert latest_staged_run(records, {"r1", "r2"}) == "r2"
    assert latest_staged_run(records, set()) is None


def test_partitions_to_compact_by_file_count_threshold() -> None:
    files = {("daily_sales", "2026-03-01"): 1, ("daily_sales", "2026-03-02"): 3, ("x", "v"): 2}

    assert partitions_to_compact(files, 2) == [("daily_sales", "2026-03-02"), ("x", "v")]
    assert partitions_to_compact(files, 3) == [("daily_sales", "2026-03-02")]


def test_retention_drops_dates_strictly_older_than_the_horizon() -> None:
    cutoff = retention_cutoff("2026-06-10", 90)

    assert cutoff == "2026-03-12"
    values = ["2026-03-10", "2026-03-11", "2026-03-12", "2026-06-10"]
    assert dates_to_drop(values, cutoff) == ["2026-03-10", "2026-03-11"]


def test_retention_drops_nothing_before_anything_was_published() -> None:
    assert retention_cutoff(None, 90) is None
    assert dates_to_drop(["2020-01-01"], None) == []


def test_the_horizon_is_declared_in_the_layer_contract() -> None:
    assert rerun_horizon_days() == layers()["retention"]["rerun_horizon_days"] == 90


def test_run_folder_of_a_registered_location() -> None:
    location = "s3://b/gold_staging/daily_sales/run_id=maintenance-1/order_date=2026-03-01"
    assert run_folder_of(location) == "maintenance-1"
    assert run_folder_of(location + "/") == "maintenance-1"
    assert run_folder_of("s3://b/elsewhere/order_date=2026-03-01") is None


ROOTS = {"gold_staging_root": "g", "ops_root": "o", "bronze_root": "b"}


def test_arguments_have_defaults_and_refuse_bad_values() -> None:
    args = MaintenanceArgs.from_args({**ROOTS, "run_id": "maintenance-x"})
    assert (args.dry_run, args.min_files, args.ops_database) == (False, 2, "ops")
    generated = {MaintenanceArgs.from_args(ROOTS).run_id for _ in range(3)}
    assert len(generated) == 3
    assert all(re.fullmatch(r"maintenance-\d{8}T\d{6}Z-[0-9a-f]{6}", r) for r in generated)
    for bad in ({"dry_run": "yes"}, {"min_files": "1"}, {"min_files": "two"}, {"run_id": "x"}):
        with pytest.raises(JobArgumentError):
            MaintenanceArgs.from_args({**ROOTS, **bad})


def test_maintenance_refuses_to_run_while_the_run_lock_is_held() -> None:
    calls = []

    def held(params):
        calls.append(params)
        return {"Item": {"lock_id": {"S": "daily-run"}, "holder": {"S": "arn:exec"}}}

    with pytest.raises(MaintenanceRefused, match="arn:exec"):
        refuse_while_run_lock_held(held, "locks")
    assert calls == [
        {"TableName": "locks", "Key": {"lock_id": {"S": "daily-run"}}, "ConsistentRead": True}
    ]
    refuse_while_run_lock_held(lambda params: {}, "locks")  # free: no error


def test_the_local_lake_is_found_from_its_ops_root(tmp_path) -> None:
    assert local_lake_dir(Roots.local(tmp_path).ops_root) == str(tmp_path.resolve())
    with pytest.raises(ValueError):
        local_lake_dir(f"file://{tmp_path}/ops")


def test_summary_has_one_line_per_action_and_a_final_line() -> None:
    report = {
        "run_id": "maintenance-1",
        "dry_run": True,
        "compacted": [
            {"table": "daily_sales", "partition_value": "2026-03-01", "run_id": "r1"}
            | {"files_before": 3, "files_after": 1}
        ],
        "expired": [{"run_id": "r0", "tables": ["daily_sales", "fact_orders"], "registrations": 4}],
        "retention": {
            "cutoff": "2026-03-12",
            "rerun_horizon_days": 90,
            "dropped": [{"dataset": "bronze/orders", "ingest_date": "2026-03-01"}],
        },
    }

    assert summary_lines(report) == [
        "would compact daily_sales 2026-03-01 (run r1): 3 -> 1 files",
        "would expire gold_staging run r0 (2 tables, 4 staged partitions unregistered)",
        "would drop bronze/orders ingest_date=2026-03-01 (older than 2026-03-12)",
        "maintenance-1: dry run, nothing changed: would compact 1 partitions, expire 1 run "
        "folders, drop 1 bronze partitions (rerun horizon 90 days)",
    ]
    report["dry_run"] = False
    assert summary_lines(report)[-1] == (
        "maintenance-1: 1 partitions compacted, 1 run folders expired, "
        "1 bronze partitions dropped (rerun horizon 90 days)"
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lake", "{tmp}/lkae"], "no lake at {tmp}/lkae"),
        (["--lake", "{lake}", "--min-files", "1"], "--min-files must be 2 or more, got 1"),
    ],
)
def test_bad_maintain_input_is_one_line_exit_2_and_changes_nothing(
    argv, expected, tmp_path, capsys
) -> None:
    from lakehouse.cli import main
    from lakehouse.layout import local_bucket_name

    lake = tmp_path / "lake"
    (lake / local_bucket_name("raw")).mkdir(parents=True)
    before = sorted(p for p in tmp_path.rglob("*"))
    values = {"tmp": str(tmp_path), "lake": str(lake)}

    code = main(["maintain", *(a.format(**values) for a in argv)])

    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1, err
    assert err[0].startswith(f"lakehouse maintain: {expected.format(**values)}")
    assert sorted(p for p in tmp_path.rglob("*")) == before
