"""`lakehouse rebuild --from D1 --to D2` (state machine input
``{"run_date": D2, "rebuild_from": D1}``): silver and gold rebuilt from bronze, published
through the gate like a daily run, readers kept on the last good data until then.

The lake: three days run one by one. Then silver is damaged as a lost or half-deleted
file would damage it (an orders partition gone, a customers partition emptied, a
quarantine partition gone). The rebuild must give back exactly the silver, quarantine and
gold the daily runs had built (row for row, the run ids aside), and must be refused,
loudly and before writing, when its dates leave out history."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from lakehouse.contracts import SOURCE_ENTITIES
from lakehouse.generate import GeneratorConfig, generate
from lakehouse.layout import to_local_path
from lakehouse.local.deployment import LocalDeployment
from lakehouse.local.executions import rebuild_pipeline, run_pipeline
from lakehouse.steps import CHANGES
from tests.integration.test_rollback import cli, readers

pytestmark = pytest.mark.slow
D1, D2, D3 = "2026-05-01", "2026-05-02", "2026-05-03"
# who wrote a row and when, not what it says
RUN_COLUMNS = {"_run_id", "run_id", "quarantined_at"}


def local(lake: Path, root: str) -> Path:
    return to_local_path(getattr(LocalDeployment.at(lake).roots, root))


def rows(folder: Path) -> list[tuple]:
    """Every row of a partitioned Parquet dataset folder (partition values included),
    run and time columns left out, sorted."""
    if not folder.exists() or not any(folder.rglob("*.parquet")):
        return []
    table = pq.ParquetDataset(folder).read()
    keep = [c for c in table.column_names if c not in RUN_COLUMNS]
    return sorted(map(tuple, (r.values() for r in table.select(keep).to_pylist())), key=repr)


def layers(lake: Path) -> dict[str, list[tuple]]:
    silver, quarantine = local(lake, "silver_root"), local(lake, "quarantine_root")
    out = {}
    for entity in SOURCE_ENTITIES:
        for name in (entity, entity + "_deleted", entity + CHANGES):
            out[f"silver/{name}"] = rows(silver / name)
        out[f"quarantine/{entity}"] = rows(quarantine / entity)
    return out


def damage(lake: Path) -> list[str]:
    """Lose an orders partition, empty a customers partition, lose a quarantine
    partition. Returns what was damaged."""
    silver, quarantine = local(lake, "silver_root"), local(lake, "quarantine_root")
    lost = sorted((silver / "orders").glob("order_date=*"))[-1]
    shutil.rmtree(lost)
    emptied = sorted((silver / "customers").glob("*=*"))[0]
    for f in emptied.glob("*.parquet"):
        f.unlink()
    quarantined = sorted((quarantine / "orders").glob("ingest_date=*"))[0]
    shutil.rmtree(quarantined)
    return [str(p) for p in (lost, emptied, quarantined)]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory, spark):
    lake = tmp_path_factory.mktemp("rebuild")
    generate(
        GeneratorConfig(
            out=lake,
            start=dt.date.fromisoformat(D1),
            days=3,
            orders_per_day=120,
            customers=60,
            defect_rate=0.03,  # quarantine rows to rebuild too
            seed=17,
        )
    )
    seen: dict[str, object] = {}
    seen["daily"] = [run_pipeline(lake, d) for d in (D1, D2, D3)]
    seen["layers before"] = layers(lake)
    seen["readers before"] = readers(lake)
    seen["damaged"] = damage(lake)
    seen["layers damaged"] = layers(lake)
    seen["readers damaged"] = readers(lake)
    # a rebuild whose gold job fails: silver is rebuilt, readers see nothing new
    seen["failed"] = rebuild_pipeline(lake, D1, D3, faults={"gold_build": 99})
    seen["readers after failed"] = readers(lake)
    seen["cli"] = cli("rebuild", "--lake", str(lake), "--from", D1, "--to", D3)
    seen["layers after"] = layers(lake)
    seen["readers after"] = readers(lake)
    seen["too short"] = rebuild_pipeline(lake, D1, D2)
    seen["layers after refused"] = layers(lake)
    seen["next run"] = run_pipeline(lake, D3, rerun=True)
    damage(lake)
    seen["from D2"] = rebuild_pipeline(lake, D2, D3)
    seen["layers from D2"] = layers(lake)
    return lake, seen


def test_the_daily_runs_published(rebuilt) -> None:
    _, seen = rebuilt
    assert [e.status for e in seen["daily"]] == ["SUCCEEDED"] * 3


def test_the_damage_is_real_and_readers_do_not_see_it(rebuilt) -> None:
    """Readers read published gold, not silver: the damage changes silver only."""
    _, seen = rebuilt
    before, damaged = seen["layers before"], seen["layers damaged"]
    assert {k for k in before if before[k] != damaged[k]} == {
        "silver/orders",
        "quarantine/orders",
        "silver/customers",
    }
    assert seen["readers damaged"] == seen["readers before"]


def test_a_rebuild_gives_back_what_the_daily_runs_built(rebuilt) -> None:
    """Silver (live, tombstones, change log) and quarantine of every entity, row for row,
    and every gold view readers see: equal to what the three daily runs had built."""
    _, seen = rebuilt
    code, out = seen["cli"]
    assert code == 0, out
    before, after = seen["layers before"], seen["layers after"]
    assert all(before[k] for k in ("silver/orders", "silver/customers", "quarantine/orders"))
    assert {k for k in before if before[k] != after[k]} == set()
    assert seen["readers after"] == seen["readers before"]


def test_a_rebuild_runs_through_the_gate_and_publishes_once(rebuilt) -> None:
    lake, seen = rebuilt
    name = f"lakehouse-{D3}-rebuild-from-{D1}"
    executions = {e.name: e for e in _executions(lake)}
    assert executions[f"{name}-2"].status == "SUCCEEDED"  # the CLI's, after the failed one
    manifest = _run_manifest(lake, D3, f"{name}-2")
    assert manifest["status"] == "PUBLISHED", manifest
    verdicts = {c["check_name"]: c["verdict"] for c in manifest["checks"]}
    assert set(verdicts.values()) == {"pass"}, verdicts
    published = {
        t["table"]: [p["values"][0] for p in t["partitions"]] for t in manifest["published"]
    }
    # every snapshot date of the range, each as of its own date; every order date
    assert published["dim_customer"] == [D1, D2, D3]
    assert published["customer_value"] == [D1, D2, D3]
    silver_orders = local(lake, "silver_root") / "orders"
    order_dates = sorted(p.name.split("=")[1] for p in silver_orders.glob("order_date=*"))
    assert len(order_dates) > 3  # late updates reach orders placed before D1
    assert published["daily_sales"] == order_dates


def test_readers_keep_the_last_good_data_until_the_rebuild_publishes(rebuilt) -> None:
    """The gold job of the first rebuild failed after silver was rebuilt: the execution
    failed, the alert went out, and readers still saw what they saw before."""
    _, seen = rebuilt
    failed = seen["failed"]
    assert failed.status == "FAILED"
    assert failed.name == f"lakehouse-{D3}-rebuild-from-{D1}"
    assert seen["readers after failed"] == seen["readers before"]


def test_a_rebuild_that_would_leave_out_later_dates_is_refused(rebuilt) -> None:
    """--to D2 while D3 is published: silver would lose D3's changes. The bronze job (the
    run's first) refuses before anything is written or silver is marked pending; nothing
    changes and the next run is not blocked."""
    _, seen = rebuilt
    refused = seen["too short"]
    assert refused.status == "FAILED"
    assert f"RebuildError: rebuild to {D2}: {D3} is published" in (refused.cause or ""), (
        refused.cause
    )
    assert seen["layers after refused"] == seen["layers after"]
    assert seen["next run"].status == "SUCCEEDED", seen["next run"].cause


def test_the_cli_refuses_dates_in_the_wrong_order(rebuilt, capsys) -> None:
    lake, _ = rebuilt
    assert cli("rebuild", "--lake", str(lake), "--from", D3, "--to", D1)[0] == 2
    assert f"--to {D1} is before --from {D3}" in capsys.readouterr().err


def _executions(lake: Path):
    from lakehouse.local.executions import list_executions

    return list_executions(lake)


def _run_manifest(lake: Path, run_date: str, run_id: str) -> dict:
    import json

    from lakehouse.local.statemachine_local import local_values
    from lakehouse.steps import run_manifest_location

    values = local_values()
    path = (
        Path(lake)
        / values["ops_bucket"]
        / run_manifest_location(values["ops_prefix"], run_date, run_id)
    )
    return json.loads(path.read_text("utf-8"))


def test_a_rebuild_from_a_later_date_keeps_the_change_log_before_it(rebuilt) -> None:
    """`--from D2`: D1's change log and quarantine are taken as they are, D2 and D3 are
    derived again, and silver rebuilt from all of it repairs the same damage."""
    _, seen = rebuilt
    assert seen["from D2"].status == "SUCCEEDED", seen["from D2"].cause
    before, after = seen["layers before"], seen["layers from D2"]
    # the damaged quarantine partition was D1's: a rebuild from D2 does not derive it again
    assert {k for k in before if before[k] != after[k]} == {"quarantine/orders"}
