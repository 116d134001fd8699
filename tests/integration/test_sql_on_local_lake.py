"""Every analytics query and every check in sql/, run through the local Athena on a lake
built by the real state machine (three days through `run_pipeline`).

Expected values are computed independently of the queries: from the Parquet files of
bronze, quarantine, silver and gold staging (read with DuckDB, not through the
catalog) and from the jobs' metrics JSON. Checks get their parameters exactly as the
state machine builds them (the rendered ASL's RunCheck Parameters) and their verdict is
read with the state machine's own ResultSelector.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lakehouse.contracts import GOLD_TABLES, SOURCE_ENTITIES
from lakehouse.generate import GeneratorConfig, generate
from lakehouse.gold import NOT_A_SALE
from lakehouse.layout import Roots
from lakehouse.local.asl.payload import compile_template
from lakehouse.local.athena import LocalAthena
from lakehouse.local.catalog import LocalGlueCatalog, bootstrap
from lakehouse.local.executions import default_execution_name, run_pipeline
from lakehouse.local.statemachine_local import local_values
from lakehouse.statemachine import load_checks, render

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
ANALYTICS_DIR = REPO_ROOT / "sql" / "analytics"
START = date(2026, 1, 1)
RUN_DATES = [(START + timedelta(days=i)).isoformat() for i in range(3)]
CHECKS = {check["name"]: check for check in load_checks()}


@dataclass(frozen=True)
class Lake:
    path: Path
    # (check name, run date) -> (verdict, rows), taken right after that date's run
    verdicts_after_run: dict[tuple[str, str], tuple[dict, list[dict]]] = field(
        default_factory=dict, compare=False
    )

    def root(self, key: str) -> Path:
        """A dataset root (``silver_root``, ...) as a local folder."""
        return Path(getattr(Roots.local(self.path), key).removeprefix("file://"))

    def metrics(self, layer: str, entity: str, run_date: str) -> dict[str, Any]:
        path = self.root("ops_root") / "metrics" / layer / entity / f"run_date={run_date}"
        return json.loads((path / "metrics.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def lake(tmp_path_factory, spark) -> Lake:
    """Three days through the state machine. After each day every check also runs the
    way the Validate state runs it: the moment it is designed for (checks such as
    gold_reconciles_with_silver compare a run's staging with silver as it is now)."""
    lake = Lake(tmp_path_factory.mktemp("sql_lake"))
    generate(
        GeneratorConfig(
            out=lake.path,
            start=START,
            days=len(RUN_DATES),
            orders_per_day=300,
            customers=120,
            seed=7,
        )
    )
    for run_date in RUN_DATES:
        execution = run_pipeline(lake.path, run_date)
        assert execution.status == "SUCCEEDED", (run_date, execution.error, execution.cause)
        LocalGlueCatalog(lake.path).sync_all_partitions()
        athena = LocalAthena(lake.path)
        for name, check in CHECKS.items():
            lake.verdicts_after_run[(name, run_date)] = run_check(athena, check, run_date)
    return lake


# -- running SQL -------------------------------------------------------------------------
def athena_rows(
    athena: LocalAthena, sql: str, parameters: list[str] | None = None
) -> list[dict[str, str | None]]:
    """Every result row as {column: VarCharValue or None}, the way Athena returns them."""
    request: dict[str, Any] = {"QueryString": sql, "QueryExecutionContext": {"Database": "gold"}}
    if parameters:
        request["ExecutionParameters"] = parameters
    execution_id = athena.run_sync(request)["QueryExecution"]["QueryExecutionId"]
    rows, token = [], None
    while True:
        page = athena.get_query_results(
            QueryExecutionId=execution_id, **({"NextToken": token} if token else {})
        )
        rows += [
            [cell.get("VarCharValue") for cell in r["Data"]] for r in page["ResultSet"]["Rows"]
        ]
        token = page.get("NextToken")
        if not token:
            break
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


def analytics(lake: Lake, name: str, *parameters: str) -> list[dict[str, str | None]]:
    sql = (ANALYTICS_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return athena_rows(LocalAthena(lake.path), sql, list(parameters))


def duck(sql: str) -> list[tuple]:
    return duckdb.sql(sql).fetchall()


def parquet_count(folder: Path) -> int:
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


def as_int(value: str | None) -> int | None:
    return None if value is None else int(value)


# -- analytics ---------------------------------------------------------------------------
def test_data_quality_trend_is_quarantined_over_bronze_rows(lake: Lake) -> None:
    rows = analytics(lake, "data_quality_trend")
    expected = {}
    for run_date in RUN_DATES:
        for entity in SOURCE_ENTITIES:
            bronze = parquet_count(lake.root("bronze_root") / entity / f"ingest_date={run_date}")
            quarantined = parquet_count(
                lake.root("quarantine_root") / entity / f"ingest_date={run_date}"
            )
            expected[(run_date, entity)] = (bronze, quarantined)
    actual = {
        (r["run_date"], r["entity"]): (
            int(r["count_bronze_rows"]),
            int(r["count_quarantined_rows"]),
        )
        for r in rows
    }
    assert actual == expected
    assert len(rows) == len(expected)
    for r in rows:
        bronze, quarantined = expected[(r["run_date"], r["entity"])]
        assert float(r["quarantined_share"]) == pytest.approx(
            quarantined / bronze if bronze else 0.0
        )
    assert any(q > 0 for _, q in expected.values()), "the sample data carries defects"
    assert [(r["run_date"], r["entity"]) for r in rows] == sorted(expected)


def published_daily_sales(lake: Lake) -> list[tuple[date, int, Decimal]]:
    """(order_date, count_orders, revenue_usd) of each order date's latest staging: every
    run succeeded, so the last run that staged a date is what gold publishes."""
    staging = lake.root("gold_staging_root") / "daily_sales"
    return duck(
        f"""
        with staged as (
            select run_id, cast(order_date as date) as order_date, count_orders, revenue_usd
            from read_parquet('{staging}/run_id=*/order_date=*/*.parquet',
                              hive_partitioning = true, hive_types_autocast = false)
        )
        select order_date, sum(count_orders), sum(revenue_usd)
        from staged
        where run_id = (select max(s.run_id) from staged s where s.order_date = staged.order_date)
        group by order_date
        """
    )


def silver_orders_sql(lake: Lake) -> str:
    return (
        f"read_parquet('{lake.root('silver_root')}/orders/order_date=*/*.parquet', "
        "hive_partitioning = true)"
    )


def test_sales_week_over_week_sums_daily_sales(lake: Lake) -> None:
    weekly: dict[date, list] = {}
    for order_date, count_orders, revenue_usd in published_daily_sales(lake):
        week = order_date - timedelta(days=order_date.weekday())
        totals = weekly.setdefault(week, [0, Decimal(0), 0])
        totals[0] += count_orders
        totals[1] += revenue_usd
        totals[2] += 1
    silver_per_week = dict(
        duck(
            f"select date_trunc('week', order_date)::date, count(*) from {silver_orders_sql(lake)} "
            "group by 1"
        )
    )
    assert {week: t[0] for week, t in weekly.items()} == silver_per_week

    rows = analytics(lake, "sales_week_over_week")
    assert [date.fromisoformat(r["week_start_date"]) for r in rows] == sorted(weekly)
    for r in rows:
        week = date.fromisoformat(r["week_start_date"])
        count_orders, revenue_usd, order_dates = weekly[week]
        prev_count, prev_revenue, _ = weekly.get(week - timedelta(days=7), [0, Decimal(0), 0])
        assert int(r["count_order_dates"]) == order_dates
        assert int(r["count_orders"]) == count_orders
        assert Decimal(r["revenue_usd"]) == revenue_usd
        assert int(r["previous_week_count_orders"]) == prev_count
        assert Decimal(r["previous_week_revenue_usd"]) == prev_revenue
        assert int(r["count_orders_change"]) == count_orders - prev_count
        assert Decimal(r["revenue_usd_change"]) == revenue_usd - prev_revenue
        if prev_revenue:
            expected_pct = round(float(100 * (revenue_usd - prev_revenue) / prev_revenue), 2)
            assert float(r["revenue_change_pct"]) == pytest.approx(expected_pct, abs=0.006)
        else:
            assert r["revenue_change_pct"] is None
    assert sum(1 for r in rows if int(r["previous_week_count_orders"]) > 0) >= 2


@pytest.mark.parametrize("run_date", RUN_DATES)
def test_run_lineage_matches_the_jobs_metrics(lake: Lake, run_date: str) -> None:
    rows = analytics(lake, "run_lineage", f"'{run_date}'")
    run_id = default_execution_name(run_date)
    by_dataset = {r["dataset"]: r for r in rows}
    assert [r["kind"] for r in rows] == ["source"] * 3 + ["gold"] * len(GOLD_TABLES)
    assert set(by_dataset) == set(SOURCE_ENTITIES) | set(GOLD_TABLES)
    assert {r["run_date"] for r in rows} == {run_date}
    assert {r["run_id"] for r in rows} == {run_id}
    for entity in SOURCE_ENTITIES:
        bronze = lake.metrics("bronze", entity, run_date)
        silver = lake.metrics("silver", entity, run_date)
        row = by_dataset[entity]
        assert as_int(row["count_raw_lines"]) == bronze["raw_data_lines"]
        assert as_int(row["count_bronze_rows"]) == bronze["bronze_rows"]
        assert as_int(row["count_accepted_rows"]) == silver["accepted"]
        assert as_int(row["count_quarantined_rows"]) == silver["quarantined"]
        assert as_int(row["count_unaccounted_rows"]) == 0
        assert row["count_staged_rows"] is None
    gold = lake.metrics("gold", "all", run_date)
    staging = lake.root("gold_staging_root") / "daily_sales" / f"run_id={run_id}"
    ((order_dates, orders),) = duck(
        f"select count(distinct order_date), sum(count_orders) "
        f"from read_parquet('{staging}/order_date=*/*.parquet', hive_partitioning = true)"
    )
    for table in GOLD_TABLES:
        row = by_dataset[table]
        assert as_int(row["count_staged_rows"]) == gold["rows_staged"][table]
        assert row["count_raw_lines"] is None
        if table == "daily_sales":
            assert as_int(row["count_staged_order_dates"]) == order_dates
            assert order_dates == len(gold["touched_order_dates"])
            assert as_int(row["count_staged_orders"]) == orders
        else:
            assert row["count_staged_order_dates"] is None
            assert row["count_staged_orders"] is None


def test_run_lineage_of_a_date_without_a_run_is_empty(lake: Lake) -> None:
    assert analytics(lake, "run_lineage", "'2025-12-31'") == []


def test_latest_customer_snapshot_has_one_row_per_current_customer(lake: Lake) -> None:
    rows = analytics(lake, "latest_customer_snapshot")
    silver_customers = lake.root("silver_root") / "customers"
    current = {
        customer_id
        for (customer_id,) in duck(
            f"select customer_id from read_parquet('{silver_customers}/*/*.parquet')"
        )
    }
    ids = [r["customer_id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert set(ids) == current
    assert {r["snapshot_date"] for r in rows} == {RUN_DATES[-1]}
    not_a_sale = ", ".join(f"'{s}'" for s in NOT_A_SALE)
    sales = dict(
        duck(
            f"select customer_id, count(*) from {silver_orders_sql(lake)} "
            f"where status not in ({not_a_sale}) group by customer_id"
        )
    )
    assert {r["customer_id"]: int(r["count_orders"]) for r in rows} == {
        customer_id: sales.get(customer_id, 0) for customer_id in current
    }


def test_orders_per_status_adds_up_to_the_live_silver_orders(lake: Lake) -> None:
    rows = analytics(lake, "orders_per_status")
    expected = {
        (order_date.isoformat(), status): count
        for order_date, status, count in duck(
            f"select order_date, status, count(*) from {silver_orders_sql(lake)} group by all"
        )
    }
    assert {(r["order_date"], r["status"]): int(r["count_orders"]) for r in rows} == expected
    per_date: dict[str, int] = {}
    for (order_date, _), count in expected.items():
        per_date[order_date] = per_date.get(order_date, 0) + count
    shares: dict[str, float] = {}
    for r in rows:
        assert int(r["count_orders_on_date"]) == per_date[r["order_date"]]
        shares[r["order_date"]] = shares.get(r["order_date"], 0.0) + float(r["status_share"])
    assert shares == pytest.approx(dict.fromkeys(per_date, 1.0))


# -- checks, as the state machine runs them ----------------------------------------------
def validate_state(name: str) -> dict[str, Any]:
    definition = render(local_values())
    return definition["States"]["Validate"]["ItemProcessor"]["States"][name]


def run_check(athena: LocalAthena, check: dict, run_date: str) -> tuple[dict, list[dict]]:
    """RunCheck then ReadCheckResult, with the definition's own templates: returns the
    verdict the state machine would see and every result row."""
    document = {"check": check, "run_date": run_date, "run_id": default_execution_name(run_date)}
    rng = random.Random(0)
    request = compile_template(validate_state("RunCheck")["Parameters"], "Parameters")
    parameters = request.evaluate(document, {}, rng)
    execution_id = athena.run_sync(parameters)["QueryExecution"]["QueryExecutionId"]
    read = validate_state("ReadCheckResult")
    results = athena.get_query_results(
        **compile_template(read["Parameters"], "Parameters").evaluate(
            {"query": {"query_execution_id": execution_id}}, {}, rng
        )
    )
    selected = compile_template(read["ResultSelector"], "ResultSelector").evaluate(results, {}, rng)
    header, *values = selected["rows"]
    names = [c["VarCharValue"] for c in header["Data"]]
    # what JudgeCheck reads: row 1's values (NULL is {}, no VarCharValue)
    verdict = (
        dict(zip(names, (c.get("VarCharValue") for c in values[0]["Data"]), strict=True))
        if values
        else {}
    )
    rows = athena_rows(athena, check["query"], parameters["ExecutionParameters"])
    return verdict, rows


def test_checks_get_the_parameters_the_state_machine_documents() -> None:
    document = {
        "check": CHECKS["quarantine_rate"],
        "run_date": "2026-01-02",
        "run_id": "lakehouse-2026-01-02",
    }
    template = compile_template(validate_state("RunCheck")["Parameters"], "Parameters")
    parameters = template.evaluate(document, {}, random.Random(0))
    assert parameters["ExecutionParameters"] == [
        "'quarantine_rate'",
        "'blocking'",
        "'2026-01-02'",
        "'lakehouse-2026-01-02'",
        "0.05",
    ]
    assert parameters["QueryExecutionContext"] == {"Database": "ops"}


def assert_verdict_row(verdict: dict, rows: list[dict], check: dict) -> None:
    """One row whose first three columns are non-null: the state machine reads them as
    Rows[1].Data[0..2].VarCharValue, and a NULL (no VarCharValue) would fail the run
    instead of reporting the check."""
    assert len(rows) == 1
    (row,) = rows
    assert list(row) == ["check_name", "severity", "passed", "observed", "threshold", "details"]
    assert verdict["check_name"] == check["name"]
    assert verdict["severity"] == check["severity"]
    assert verdict["passed"] in ("true", "false")
    assert float(row["threshold"]) == check["threshold"]
    assert row["details"]


@pytest.mark.parametrize("run_date", RUN_DATES)
@pytest.mark.parametrize("name", sorted(CHECKS))
def test_check_passes_right_after_the_run(lake: Lake, name: str, run_date: str) -> None:
    verdict, rows = lake.verdicts_after_run[(name, run_date)]
    assert_verdict_row(verdict, rows, CHECKS[name])
    assert verdict["passed"] == "true", rows[0]["details"]
    assert float(rows[0]["observed"]) <= CHECKS[name]["threshold"]


# These read only what the run itself wrote (its bronze and quarantine partitions, its
# metrics, its staging), so they give the same verdict whenever they are re-run.
RUN_SCOPED_CHECKS = (
    "raw_to_bronze_reconciliation",
    "bronze_to_silver_reconciliation",
    "quarantine_rate",
    "fx_rate_coverage",
)


@pytest.mark.parametrize("run_date", RUN_DATES)
def test_checks_rerun_later_still_return_one_verdict_row(lake: Lake, run_date: str) -> None:
    athena = LocalAthena(lake.path)
    for name, check in CHECKS.items():
        verdict, rows = run_check(athena, check, run_date)
        assert_verdict_row(verdict, rows, check)
        if name in RUN_SCOPED_CHECKS or run_date == RUN_DATES[-1]:
            assert verdict["passed"] == "true", (name, rows[0]["details"])


# -- checks on a broken copy -------------------------------------------------------------
BROKEN_DATE = RUN_DATES[1]


@dataclass(frozen=True)
class BrokenLake:
    lake: Lake
    quarantined_orders_removed: int


@pytest.fixture(scope="session")
def broken_lake(lake: Lake, tmp_path_factory) -> BrokenLake:
    """A copy of the lake with a lost quarantine partition and a duplicated silver order.
    The catalog records absolute locations, so the copy gets its own (bronze, silver,
    quarantine and ops partitions registered from its folders; the checks read no gold)."""
    path = tmp_path_factory.mktemp("sql_lake_broken") / "lake"
    shutil.copytree(lake.path, path, ignore=shutil.ignore_patterns("catalog"))
    copy = Lake(path)
    bootstrap(path).sync_all_partitions()

    # Registered but gone, as with partition projection on AWS: reads as empty.
    lost = copy.root("quarantine_root") / "orders" / f"ingest_date={BROKEN_DATE}"
    removed = parquet_count(lost)
    shutil.rmtree(lost)

    partition = copy.root("silver_root") / "orders" / f"order_date={BROKEN_DATE}"
    source = sorted(partition.glob("*.parquet"))[0]
    pq.write_table(pq.read_table(source).slice(0, 1), partition / "part-duplicate.parquet")
    return BrokenLake(copy, removed)


def test_reconciliation_fails_when_a_quarantine_partition_is_lost(broken_lake: BrokenLake) -> None:
    assert broken_lake.quarantined_orders_removed > 0
    athena = LocalAthena(broken_lake.lake.path)
    verdict, (row,) = run_check(athena, CHECKS["bronze_to_silver_reconciliation"], BROKEN_DATE)
    assert verdict["passed"] == "false"
    assert float(row["observed"]) == broken_lake.quarantined_orders_removed
    assert f"orders {broken_lake.quarantined_orders_removed}" in row["details"]


def test_key_uniqueness_fails_on_a_duplicated_silver_row(broken_lake: BrokenLake) -> None:
    athena = LocalAthena(broken_lake.lake.path)
    verdict, (row,) = run_check(athena, CHECKS["silver_key_uniqueness"], BROKEN_DATE)
    assert verdict["passed"] == "false"
    assert float(row["observed"]) == 1.0
    assert row["details"] == "duplicate keys: customers 0, orders 1, fx_rates 0"


def test_untouched_inputs_still_pass_on_the_broken_copy(broken_lake: BrokenLake) -> None:
    athena = LocalAthena(broken_lake.lake.path)
    verdict, _ = run_check(athena, CHECKS["raw_to_bronze_reconciliation"], BROKEN_DATE)
    assert verdict["passed"] == "true"


@pytest.fixture(scope="session")
def broken_gold_lake(lake: Lake, tmp_path_factory) -> Lake:
    """A whole copy of the lake, catalog included (the local catalog moves every location
    under the copy's folder when opened there, so the staged partitions the state machine
    registered read the copy's files), with one staged fact_orders row of BROKEN_DATE's
    run written again with its customer key moved by a second: a duplicated order_id
    and a key into dim_customer that no version has."""
    import pyarrow.compute as pc

    path = tmp_path_factory.mktemp("sql_lake_broken_gold") / "lake"
    shutil.copytree(lake.path, path)
    copy = Lake(path)
    staged = (
        copy.root("gold_staging_root")
        / "fact_orders"
        / f"run_id={default_execution_name(BROKEN_DATE)}"
    )
    source = sorted(staged.glob("order_date=*/*.parquet"))[0]
    table = pq.read_table(source)
    keyed = table.filter(pc.is_valid(table["customer_valid_from"])).slice(0, 1)
    assert keyed.num_rows == 1, "the run staged no order with a customer key"
    moved = pc.add(keyed["customer_valid_from"], pa.scalar(1_000_000, pa.duration("us")))
    keyed = keyed.set_column(
        keyed.schema.get_field_index("customer_valid_from"), "customer_valid_from", moved
    )
    pq.write_table(keyed.cast(table.schema), source.parent / "part-duplicate.parquet")
    return copy


def test_gold_key_uniqueness_fails_on_a_duplicated_staged_order(broken_gold_lake: Lake) -> None:
    athena = LocalAthena(broken_gold_lake.path)
    verdict, (row,) = run_check(athena, CHECKS["gold_key_uniqueness"], BROKEN_DATE)
    assert verdict["passed"] == "false"
    assert float(row["observed"]) == 1.0
    assert ", fact_orders 1," in row["details"] and "daily_sales 0" in row["details"]


def test_a_fact_key_without_its_dimension_version_is_reported(broken_gold_lake: Lake) -> None:
    athena = LocalAthena(broken_gold_lake.path)
    verdict, (row,) = run_check(athena, CHECKS["fact_orders_customer_in_dimension"], BROKEN_DATE)
    assert verdict["passed"] == "false"
    assert float(row["observed"]) == 1.0
    assert row["details"].startswith("1 of ")


# -- checks on empty, missing and all-NULL inputs -----------------------------------------
@pytest.fixture(scope="module")
def empty_lake(tmp_path_factory, spark) -> Lake:
    """A lake with its catalog and no data at all (a first run that wrote nothing, a
    wiped lake): the checks' inputs are empty or missing."""
    lake = Lake(tmp_path_factory.mktemp("sql_lake_empty"))
    bootstrap(lake.path)
    return lake


def test_every_check_gives_a_verdict_on_an_empty_lake(empty_lake: Lake) -> None:
    """A NULL verdict would be a States.Runtime error in the state machine, which no
    Catch handles (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html):
    every check answers true or false on every input."""
    athena = LocalAthena(empty_lake.path)
    for check in CHECKS.values():
        verdict, rows = run_check(athena, check, "2026-03-01")
        assert_verdict_row(verdict, rows, check)


def test_every_check_gives_a_verdict_on_all_null_metrics(empty_lake: Lake, spark) -> None:
    """Metric rows whose values are all NULL (a job that wrote its record and died)."""
    from pyspark.sql import Row

    from lakehouse.metrics import JOB_METRICS_COLUMNS, JOB_METRICS_DATASET, job_key
    from lakehouse.schemas import struct_of

    run_date = "2026-03-02"
    metric_names = ("raw_files", "raw_data_lines", "bronze_rows", "accepted", "quarantined")
    for layer in ("bronze", "silver"):
        for entity in SOURCE_ENTITIES:
            rows = [Row(layer, entity, None, name, None, None) for name in metric_names]
            location = (
                empty_lake.root("ops_root")
                / JOB_METRICS_DATASET
                / f"run_date={run_date}"
                / f"job={job_key(layer, entity)}"
            )
            spark.createDataFrame(rows, struct_of(JOB_METRICS_COLUMNS)).write.mode(
                "overwrite"
            ).parquet(str(location))
    athena = LocalAthena(empty_lake.path)
    for name, check in CHECKS.items():
        verdict, rows = run_check(athena, check, run_date)
        assert_verdict_row(verdict, rows, check)
        if name == "landing_files_present":
            assert verdict["passed"] == "false", rows[0]["details"]


def test_a_day_without_landing_files_blocks_unless_the_contract_allows_it(
    empty_lake: Lake, spark
) -> None:
    from lakehouse.metrics import write_metric_table

    run_date = "2026-03-03"
    delivered = {"orders": (3, 0), "customers": (0, 0), "fx_rates": (0, 1)}
    for entity, (files, allowed) in delivered.items():
        write_metric_table(
            spark,
            Roots.local(empty_lake.path).ops_root,
            {
                "layer": "bronze",
                "entity": entity,
                "run_date": run_date,
                "run_id": f"lakehouse-{run_date}",
                "raw_files": files,
                "empty_day_allowed": allowed,
            },
        )
    verdict, rows = run_check(
        LocalAthena(empty_lake.path), CHECKS["landing_files_present"], run_date
    )
    assert verdict["passed"] == "false"
    assert float(rows[0]["observed"]) == 1.0
    assert rows[0]["details"] == "no landing files for: customers"
