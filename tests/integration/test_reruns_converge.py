"""Gold for date D is a function of the data as of D: days 1..4 run straight, and the
same days followed by reruns of 2, 1 and 4 (out of order), leave readers with the
same gold, table by table, row by row (what `gold.<table>` returns on Athena)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from lakehouse.contracts import GOLD_TABLES
from lakehouse.generate import GeneratorConfig, generate
from lakehouse.local.athena import LocalAthena
from lakehouse.local.executions import run_pipeline

pytestmark = pytest.mark.slow
START = dt.date(2026, 4, 1)
DAYS = [(START + dt.timedelta(days=i)).isoformat() for i in range(4)]


def _gold(lake) -> dict[str, list[list[str | None]]]:
    athena = LocalAthena(lake)
    out = {}
    for table in GOLD_TABLES:
        run = athena.run_sync(
            {"QueryString": f"select * from {table}", "QueryExecutionContext": {"Database": "gold"}}
        )
        rows = athena.get_query_results(QueryExecutionId=run["QueryExecution"]["QueryExecutionId"])
        out[table] = sorted(
            [[c.get("VarCharValue") for c in r["Data"]] for r in rows["ResultSet"]["Rows"][1:]],
            key=repr,
        )
    return out


@pytest.fixture(scope="module")
def lakes(tmp_path_factory, spark):
    straight = tmp_path_factory.mktemp("straight")
    generate(
        GeneratorConfig(
            out=straight,
            start=START,
            days=4,
            orders_per_day=40,
            customers=25,
            defect_rate=0.0,
            seed=5,
        )
    )
    outcomes = [run_pipeline(straight, day) for day in DAYS]
    # the shuffled lake is the straight one after its four days (a copy: the same days
    # run the same way), then the reruns
    shuffled = tmp_path_factory.mktemp("shuffled")
    shutil.copytree(straight, shuffled, dirs_exist_ok=True)
    outcomes += [run_pipeline(shuffled, DAYS[i], rerun=True) for i in (1, 0, 3)]
    return straight, shuffled, outcomes


def test_every_run_published(lakes) -> None:
    *_, outcomes = lakes
    assert [o.status for o in outcomes] == ["SUCCEEDED"] * len(outcomes), [
        (o.name, o.error, (o.cause or "")[:300]) for o in outcomes if o.status != "SUCCEEDED"
    ]


def test_out_of_order_reruns_leave_readers_the_same_gold(lakes) -> None:
    straight, shuffled, _ = lakes
    expected, actual = _gold(straight), _gold(shuffled)
    assert all(expected[t] for t in GOLD_TABLES), {t: len(r) for t, r in expected.items()}
    for table in GOLD_TABLES:
        assert actual[table] == expected[table], table
