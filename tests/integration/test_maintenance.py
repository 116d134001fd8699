"""`lakehouse maintain` on a real local lake run through the state machine: readers see
the same rows before and after, compacted partitions are read from one file, only
folders nothing can read or restore are expired, a rollback still works afterwards,
bronze beyond the rerun horizon is dropped (and nothing else by retention).

The horizon is patched to one day: the declared 90 days would need a lake spanning a
quarter (the unit tests check the declared value and the date arithmetic)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from unittest import mock

import pyarrow.parquet as pq
import pytest

from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.layout import to_local_path
from lakehouse.local.catalog import LocalGlueCatalog, data_files, resolve_location
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.executions import run_pipeline
from lakehouse.maintenance import report_location
from tests.integration.conftest import ROLLED_BACK_DATES
from tests.integration.test_rollback import cli, readers

pytestmark = pytest.mark.slow
D1, D2, D3 = ROLLED_BACK_DATES  # D1 and D2 published, D2 rolled back, D3 landed
HORIZON_DAYS = 1  # bronze of D1 is beyond it once D3 is published
SPLIT_INTO = 3
# (table, partition value) whose published file is split into SPLIT_INTO files, as a
# job with more workers writes them
SPLIT = [("fact_orders", D1), ("daily_sales", D2), ("dim_customer", D3), ("fact_orders", D3)]


def registered(lake: Path, table: str) -> dict[tuple[str, str], Path]:
    catalog = LocalGlueCatalog(lake)
    return {
        tuple(p["Values"]): resolve_location(lake, p["StorageDescriptor"]["Location"])
        for p in catalog.all_partitions("ops", f"staged_{table}")
    }


def readers_runs(lake: Path) -> dict[tuple[str, str], str]:
    catalog = LocalGlueCatalog(lake)
    pointer = catalog.get_table(DatabaseName="ops", Name="published_partitions")
    folder = resolve_location(lake, pointer["Table"]["StorageDescriptor"]["Location"])
    table = pq.read_table([str(f) for f in data_files(folder)][0])
    return {(r["table_name"], r["partition_value"]): r["run_id"] for r in table.to_pylist()}


def split_published_partition(lake: Path, table: str, value: str) -> None:
    run = readers_runs(lake)[(table, value)]
    folder = registered(lake, table)[(run, value)]
    [only] = data_files(folder)
    rows = pq.read_table(only)
    step = max(1, -(-rows.num_rows // SPLIT_INTO))
    for i in range(SPLIT_INTO):
        pq.write_table(rows.slice(i * step, step), folder / f"part-split-{i}.parquet")
    only.unlink()


def tree(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)): p.stat().st_size for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def maintained(rolled_back, tmp_path_factory, spark):
    """D1 and D2 published, D2 rolled back (the `rolled_back` lake of conftest.py, shared
    with test_rollback.py), then on this module's copy: D2 rerun, D3 run, published
    partitions split, maintenance run (dry, then for real)."""
    assert rolled_back.rollback[0] == 0, rolled_back.rollback[1]
    lake = rolled_back.copy_to(tmp_path_factory.mktemp("maintenance") / "lake")
    seen: dict[str, object] = {}
    assert run_pipeline(lake, D2, rerun=True).status == "SUCCEEDED"
    seen["before D3"] = readers(lake)
    assert run_pipeline(lake, D3).status == "SUCCEEDED"
    for table, value in SPLIT:
        split_published_partition(lake, table, value)
    roots = LocalDeployment.at(lake).roots
    paths = {k: to_local_path(getattr(roots, k)) for k in ("gold_staging_root", "bronze_root")}
    seen["paths"] = paths
    seen["before"] = readers(lake)
    seen["trees before"] = {k: tree(p) for k, p in paths.items()}
    seen["registrations before"] = {t: registered(lake, t) for t, _ in SPLIT}
    with mock.patch("lakehouse.maintenance.rerun_horizon_days", return_value=HORIZON_DAYS):
        seen["dry run"] = cli("maintain", "--lake", str(lake), "--dry-run")
        seen["after dry run"] = readers(lake)
        seen["trees after dry run"] = {k: tree(p) for k, p in paths.items()}
        seen["registrations after dry run"] = {t: registered(lake, t) for t, _ in SPLIT}
        seen["maintain"] = cli("maintain", "--lake", str(lake))
    seen["after"] = readers(lake)
    seen["runs after"] = readers_runs(lake)
    copy = tmp_path_factory.mktemp("maintenance_rollback") / "lake"
    shutil.copytree(lake, copy)  # the rollback changes a copy: the other tests read `lake`
    seen["rollback"] = cli("rollback", "--lake", str(copy), "--date", D3)
    seen["after rollback"] = readers(copy)
    # bronze of D1 was dropped: a rerun of D1 rebuilds it from the landing files
    seen["rerun after retention"] = run_pipeline(copy, D1, rerun=True)
    seen["copy"] = copy
    return lake, seen


def _report(lake: Path, printed: str) -> dict:
    run_id = printed.strip().splitlines()[-1].split(":")[0].split(" ")[0]
    ops_root = LocalDeployment.at(lake).roots.ops_root
    return json.loads(to_local_path(report_location(ops_root, run_id)).read_text("utf-8"))


def test_readers_see_the_same_rows_and_compacted_partitions_read_one_file(maintained, figure):
    lake, seen = maintained
    code, printed = seen["maintain"]
    assert code == 0, printed
    assert seen["after"] == seen["before"]
    report = _report(lake, printed)
    compacted = {(c["table"], c["partition_value"]): c for c in report["compacted"]}
    assert set(compacted) == set(SPLIT)
    for table, value in SPLIT:
        entry = compacted[(table, value)]
        assert (entry["files_before"], entry["files_after"]) == (SPLIT_INTO, 1)
        folder = published_folder_for(lake, seen, table, value)
        assert len(data_files(folder)) == 1
        assert "maintenance-" in str(folder)
        figure(
            f"maintenance: {table} {value} files {entry['files_before']} -> {len(data_files(folder))}"
        )
        assert f"compact {table} {value}" in printed
    # the publication is unchanged: every partition still names the run that published it
    assert seen["runs after"] == readers_runs(lake)
    assert all(not run.startswith("maintenance-") for run in seen["runs after"].values())


def published_folder_for(lake: Path, seen: dict, table: str, value: str) -> Path:
    run = seen["runs after"][(table, value)]
    return registered(lake, table)[(run, value)]


def test_only_folders_nothing_reads_or_can_restore_are_expired(maintained):
    lake, seen = maintained
    report = _report(lake, seen["maintain"][1])
    expired = {e["run_id"] for e in report["expired"]}
    assert expired == {f"lakehouse-{D2}"}, report["expired"]
    gold_staging = seen["paths"]["gold_staging_root"]
    for table_dir in gold_staging.iterdir():
        runs = {p.name for p in table_dir.iterdir()}
        assert f"run_id=lakehouse-{D2}" not in runs
        assert f"run_id=lakehouse-{D3}" in runs
    kept = {run for run in seen["runs after"].values()}
    assert {f"lakehouse-{D1}", f"lakehouse-{D2}-r2", f"lakehouse-{D3}"} <= kept
    for run in kept:
        assert any((d / f"run_id={run}").is_dir() for d in gold_staging.iterdir()), run
    [entry] = report["expired"]
    assert entry["registrations"] > 0
    for table_dir in gold_staging.iterdir():  # its staged partitions are unregistered too
        assert all(run != f"lakehouse-{D2}" for run, _ in registered(lake, table_dir.name))


def test_a_rollback_after_maintenance_restores_what_readers_saw(maintained):
    _, seen = maintained
    code, printed = seen["rollback"]
    assert code == 0, printed
    assert f"rolled back run lakehouse-{D3}" in printed
    assert seen["after rollback"] == seen["before D3"]


def test_the_dry_run_reports_the_same_actions_and_changes_nothing(maintained):
    lake, seen = maintained
    code, printed = seen["dry run"]
    assert code == 0, printed
    assert seen["after dry run"] == seen["before"]
    assert seen["trees after dry run"] == seen["trees before"]
    assert seen["registrations after dry run"] == seen["registrations before"]
    dry, real = _report(lake, printed), _report(lake, seen["maintain"][1])
    assert dry["dry_run"] and not real["dry_run"]
    key = ("table", "partition_value", "files_before")
    assert [[c[k] for k in key] for c in dry["compacted"]] == [
        [c[k] for k in key] for c in real["compacted"]
    ]
    assert dry["expired"] == real["expired"]
    assert dry["retention"]["dropped"] == real["retention"]["dropped"]
    assert "would compact" in printed and "dry run, nothing changed" in printed.splitlines()[-1]


def test_retention_drops_bronze_beyond_the_horizon_only(maintained):
    lake, seen = maintained
    retention = _report(lake, seen["maintain"][1])["retention"]
    assert retention["newest_published_run_date"] == D3
    assert retention["cutoff"] == D2
    dropped = {(d["dataset"], d["ingest_date"]) for d in retention["dropped"]}
    assert dropped == {(f"bronze/{e}", D1) for e in SOURCE_ENTITIES}
    bronze = seen["paths"]["bronze_root"]
    for entity in SOURCE_ENTITIES:
        kept = sorted(p.name for p in (bronze / entity).iterdir())
        assert kept == [f"ingest_date={D2}", f"ingest_date={D3}"]
    silver = to_local_path(LocalDeployment.at(lake).roots.silver_root)
    assert (silver / "orders_changes" / f"ingest_date={D1}").is_dir()  # the change log stays


def test_a_rerun_of_a_date_whose_bronze_was_dropped_rebuilds_it(maintained):
    _, seen = maintained
    rerun = seen["rerun after retention"]
    assert rerun.status == "SUCCEEDED", (rerun.error, rerun.cause)
    bronze = to_local_path(LocalDeployment.at(seen["copy"]).roots.bronze_root)
    for entity in SOURCE_ENTITIES:
        assert (bronze / entity / f"ingest_date={D1}").is_dir(), entity
