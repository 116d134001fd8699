"""Athena on DuckDB: Athena's shapes, Trino semantics, failures, publish visibility."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lakehouse.cli import main
from lakehouse.layout import Roots, join
from lakehouse.local.athena import AthenaError, LocalAthena, QueryExecutionFailed
from lakehouse.local.catalog import LocalGlueCatalog, bootstrap, resolve_location

ORDERS = pa.schema(
    [
        ("order_id", pa.string()),
        ("customer_id", pa.string()),
        ("status", pa.string()),
        ("amount", pa.decimal128(18, 2)),
        ("currency", pa.string()),
        ("ordered_at", pa.timestamp("us", tz="UTC")),
    ]
)
DAILY_SALES = pa.schema(
    [
        ("country", pa.string()),
        ("status", pa.string()),
        ("count_orders", pa.int64()),
        ("revenue_usd", pa.decimal128(38, 2)),
        ("avg_order_value_usd", pa.decimal128(38, 2)),
        ("count_orders_missing_fx", pa.int64()),
    ]
)


def order(order_id: str, customer: str | None, status: str, amount: str, at: str) -> dict:
    currency = "EUR" if status == "SHIPPED" else "USD"
    timestamp = datetime.fromisoformat(f"{at}+00:00")
    return {
        "order_id": order_id,
        "customer_id": customer,
        "status": status,
        "amount": Decimal(amount),
        "currency": currency,
        "ordered_at": timestamp,
    }


def write(folder: Path, rows: list[dict], schema: pa.Schema) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / "part-00000.parquet")


def table_root(lake: Path, database: str, table: str) -> Path:
    found = LocalGlueCatalog(lake).get_table(DatabaseName=database, Name=table)["Table"]
    return resolve_location(lake, found["StorageDescriptor"]["Location"])


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    catalog = bootstrap(tmp_path)
    orders = table_root(tmp_path, "silver", "orders")
    first_day = [
        order("O1", "000123", "PAID", "10.50", "2026-01-01 10:15:00"),
        order("O2", "C000002", "SHIPPED", "4.25", "2026-01-01 23:59:59.999"),
    ]
    write(orders / "order_date=2026-01-01", first_day, ORDERS)
    second_day = [order("O3", None, "PAID", "20.00", "2026-01-02 08:00:00")]
    write(orders / "order_date=2026-01-02", second_day, ORDERS)
    catalog.sync_all_partitions()
    return tmp_path


@pytest.fixture
def athena(lake: Path) -> LocalAthena:
    return LocalAthena(lake)


def run(athena: LocalAthena, sql: str, params: list[str] | None = None, **request: object) -> dict:
    extra = {"ExecutionParameters": params} if params else {}
    request.setdefault("QueryExecutionContext", {"Database": "silver"})
    started = athena.start_query_execution(QueryString=sql, **extra, **request)
    return athena.get_query_execution(QueryExecutionId=started["QueryExecutionId"])[
        "QueryExecution"
    ]


def rows_of(athena: LocalAthena, execution: dict) -> list[list[str | None]]:
    response = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    return [
        [cell.get("VarCharValue") for cell in row["Data"]] for row in response["ResultSet"]["Rows"]
    ]


def test_results_have_athena_shape_values_and_types(athena: LocalAthena) -> None:
    execution = run(
        athena,
        "select order_id, customer_id, amount, ordered_at, currency = 'EUR' as is_eur,"
        " cast(ordered_at as date) as order_day, amount * 2.0e0 as doubled, order_date"
        " from silver.orders order by order_id",
    )
    assert execution["Status"]["State"] == "SUCCEEDED"
    response = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    header, first, second, third = response["ResultSet"]["Rows"]
    expected_header = "order_id customer_id amount ordered_at is_eur order_day doubled order_date"
    assert [c["VarCharValue"] for c in header["Data"]] == expected_header.split()
    expected_first = ["O1", "000123", "10.50", "2026-01-01 10:15:00.000", "false"]
    expected_first += ["2026-01-01", "21.0", "2026-01-01"]
    assert first["Data"] == [{"VarCharValue": v} for v in expected_first]
    assert second["Data"][3] == {"VarCharValue": "2026-01-01 23:59:59.999"}
    assert second["Data"][4] == {"VarCharValue": "true"}
    assert third["Data"][1] == {}  # NULL
    info = response["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
    assert [(c["Name"], c["Type"], c["Precision"], c["Scale"]) for c in info] == [
        ("order_id", "varchar", 2147483647, 0),
        ("customer_id", "varchar", 2147483647, 0),
        ("amount", "decimal", 18, 2),
        ("ordered_at", "timestamp", 3, 0),
        ("is_eur", "boolean", 0, 0),
        ("order_day", "date", 0, 0),
        ("doubled", "double", 17, 0),
        ("order_date", "varchar", 2147483647, 0),
    ]
    assert info[0]["Label"] == "order_id"
    assert info[0]["Nullable"] == "UNKNOWN"
    assert response["UpdateCount"] == 0
    assert execution["Statistics"]["DataScannedInBytes"] > 0


def test_trino_semantics_survive_translation(athena: LocalAthena) -> None:
    execution = run(
        athena,
        """
        with source as (
            select amount, ordered_at, try_cast(customer_id as integer) as customer_number
            from silver.orders
        )
        select
            date_trunc('month', ordered_at) as order_month,
            case when amount >= 10 then 'large' else 'small' end as size,
            count(*) / 2 as half_count,
            count(customer_number) as count_numeric_customers,
            date_add('day', 1, date '2026-01-31') as next_day
        from source
        group by 1, 2
        order by 2
        """,
    )
    assert rows_of(athena, execution)[1:] == [
        ["2026-01-01 00:00:00.000", "large", "1", "1", "2026-02-01"],  # 2 rows: 2 / 2 = 1
        ["2026-01-01 00:00:00.000", "small", "0", "0", "2026-02-01"],  # 1 row: 1 / 2 = 0
    ]


def test_unnamed_outputs_are_named_like_athena(athena: LocalAthena) -> None:
    execution = run(athena, "select status, count(*), 1 from orders group by 1 order by 2 desc")
    assert rows_of(athena, execution) == [
        ["status", "_col1", "_col2"],
        ["PAID", "2", "1"],
        ["SHIPPED", "1", "1"],
    ]


def test_execution_parameters_bind_in_text_order(athena: LocalAthena) -> None:
    sql = (
        "with day as (select * from silver.orders where order_date = ?)"
        " select order_id from day where amount > ? and cast(ordered_at as date) = ?"
    )
    params = ["'2026-01-01'", "5", "DATE '2026-01-01'"]
    execution = run(athena, sql, params)
    assert rows_of(athena, execution) == [["order_id"], ["O1"]]
    assert execution["ExecutionParameters"] == params


def test_parameter_count_mismatch_fails_like_athena(athena: LocalAthena) -> None:
    execution = run(athena, "select * from orders where order_date = ? and status = ?", ["'x'"])
    status = execution["Status"]
    assert status["State"] == "FAILED"
    message = "Incorrect number of parameters: expected 2 but found 1"
    assert status["StateChangeReason"] == f"INVALID_PARAMETER_USAGE: {message}"
    assert status["AthenaError"] == {
        "ErrorCategory": 2,
        "ErrorType": 1006,
        "Retryable": False,
        "ErrorMessage": message,
    }


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        (
            "select * from silver.nope",
            "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.silver.nope' does not exist",
        ),
        (
            "select order_id,\n  nope from orders",
            "COLUMN_NOT_FOUND: line 2:3: Column 'nope' cannot be resolved or requester is not "
            "authorized to access requested resources",
        ),
        (
            "select * from nowhere.orders",
            "SCHEMA_NOT_FOUND: line 1:15: Schema 'nowhere' does not exist",
        ),
        ("select 1 / (count(*) - count(*)) from orders", "DIVISION_BY_ZERO: Division by zero"),
        (
            "select 1; select 2",
            "SYNTAX_ERROR: Only one sql statement is allowed. Got: select 1; select 2",
        ),
        ("select from where", "SYNTAX_ERROR: line 1:13: "),
        # Athena reads catalog tables only: no file is read through a DuckDB table function
        (
            "select * from read_text('.lake/_local/secrets.json')",
            "FUNCTION_NOT_FOUND: line 1:15: Table function 'read_text' not registered",
        ),
        (
            "select * from orders, read_csv('/etc/passwd')",
            "FUNCTION_NOT_FOUND: line 1:23: Table function 'read_csv' not registered",
        ),
        (
            "select * from table(read_parquet('x.parquet'))",
            "FUNCTION_NOT_FOUND: line 1:21: Table function 'read_parquet' not registered",
        ),
        # typeof() is emulated since (athena_typeof); cos() is a function still refused
        ("select cos(1)", "NOT_SUPPORTED: function cos() is not"),
        (
            "select typeof(concat('a', 'b'))",
            "NOT_SUPPORTED: typeof() of an expression whose exact Trino type is not known",
        ),
        # refused when run: RE2 and Java patterns differ on text beyond printable ASCII
        (
            "select regexp_like('caf\u00e9', 'caf.')",
            "NOT_SUPPORTED: regexp_like() on text other than printable ASCII is not emulated",
        ),
    ],
)
def test_failing_queries_end_failed_with_athena_reasons(
    athena: LocalAthena, sql: str, reason: str
) -> None:
    execution = run(athena, sql)
    assert execution["Status"]["State"] == "FAILED"
    assert execution["Status"]["StateChangeReason"].startswith(reason)
    with pytest.raises(AthenaError) as no_results:
        athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    assert no_results.value.error == "Athena.InvalidRequestException"
    assert no_results.value.message == execution["Status"]["StateChangeReason"]


def stage(lake: Path, run_id: str, count_orders: int) -> str:
    """A gold run's staged partition: written, validated, not yet published."""
    roots = Roots.local(lake)
    location = join(
        roots.gold_staging_root, "daily_sales", f"run_id={run_id}", "order_date=2026-01-01"
    )
    row = {
        "country": "US",
        "status": "PAID",
        "count_orders": count_orders,
        "revenue_usd": Decimal("30.50"),
        "avg_order_value_usd": Decimal("15.25"),
        "count_orders_missing_fx": 0,
    }
    write(resolve_location(lake, location), [row], DAILY_SALES)
    return location


def _publish(lake: Path, run_id: str, runs: dict[str, str]) -> None:
    """What the gold job and publish do: a publication snapshot naming, per partition
    value, the run whose staged folder readers see, then one UpdateTable of the pointer
    (docs/adr/0007)."""
    from lakehouse.contracts.catalog import PUBLICATION_TABLE, find_table, table_input

    location = join(Roots.local(lake).ops_root, "publications", f"run_id={run_id}")
    rows = [
        {"table_name": "daily_sales", "partition_value": v, "run_id": r} for v, r in runs.items()
    ]
    schema = pa.schema([(n, pa.string()) for n in ("table_name", "partition_value", "run_id")])
    write(resolve_location(lake, location), rows, schema)
    pointer = table_input(find_table("ops", PUBLICATION_TABLE), location)
    LocalGlueCatalog(lake).update_table(DatabaseName="ops", TableInput=pointer)


def _register_staged(lake: Path, run_id: str, location: str) -> None:
    catalog = LocalGlueCatalog(lake)
    catalog.create_partition(
        DatabaseName="ops",
        TableName="staged_daily_sales",
        PartitionInput={
            "Values": [run_id, "2026-01-01"],
            "StorageDescriptor": {"Location": location},
        },
    )


def test_only_published_staged_partitions_are_visible_and_one_switch_moves_readers(
    lake: Path, athena: LocalAthena
) -> None:
    """gold.daily_sales is an Athena view (VIRTUAL_VIEW, Presto View text) joining the
    staged partitions with the publication; staged data stays invisible until the
    pointer names its run, and switching the pointer moves readers at once."""
    sql = "select country, count_orders, order_date from daily_sales"
    gold = {"QueryExecutionContext": {"Database": "gold"}}
    view = LocalGlueCatalog(lake).get_table(DatabaseName="gold", Name="daily_sales")["Table"]
    assert view["TableType"] == "VIRTUAL_VIEW"
    assert view["ViewOriginalText"].startswith("/* Presto View: ")

    first = stage(lake, "run-1", 5)
    _register_staged(lake, "run-1", first)
    assert rows_of(athena, run(athena, sql, **gold)) == [["country", "count_orders", "order_date"]]

    _publish(lake, "run-1", {"2026-01-01": "run-1"})
    assert rows_of(athena, run(athena, sql, **gold))[1:] == [["US", "5", "2026-01-01"]]

    second = stage(lake, "run-2", 7)  # staged by a rerun: invisible until published
    _register_staged(lake, "run-2", second)
    assert rows_of(athena, run(athena, sql, **gold))[1:] == [["US", "5", "2026-01-01"]]
    _publish(lake, "run-2", {"2026-01-01": "run-2"})
    assert rows_of(athena, run(athena, sql, **gold))[1:] == [["US", "7", "2026-01-01"]]


def test_table_without_partitions_is_empty_but_typed(athena: LocalAthena) -> None:
    execution = run(athena, "select * from quarantine.orders")
    response = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    assert len(response["ResultSet"]["Rows"]) == 1  # the header only
    types = {c["Name"]: c["Type"] for c in response["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]}
    assert types["reasons"] == "array"
    assert types["_line_number"] == "bigint"
    assert types["quarantined_at"] == "timestamp"
    assert types["ingest_date"] == "varchar"


def test_columns_resolve_by_name_ignoring_case_and_missing_ones_read_null(
    lake: Path, athena: LocalAthena
) -> None:
    customers = table_root(lake, "silver", "customers")
    rows = [{"CUSTOMER_ID": "C000001", "country": "DE"}]
    schema = pa.schema([("CUSTOMER_ID", pa.string()), ("country", pa.string())])
    write(customers / "signup_date=2026-01-01", rows, schema)
    LocalGlueCatalog(lake).sync_partitions("silver", "customers")
    execution = run(athena, "select customer_id, country, segment, signup_date from customers")
    assert rows_of(athena, execution)[1:] == [["C000001", "DE", None, "2026-01-01"]]


def test_pagination_puts_the_header_on_the_first_page_only(athena: LocalAthena) -> None:
    execution = run(athena, "select order_id from orders order by 1")
    pages, token = [], None
    while True:
        extra = {"NextToken": token} if token else {}
        page = athena.get_query_results(
            QueryExecutionId=execution["QueryExecutionId"], MaxResults=2, **extra
        )
        pages.append([row["Data"][0]["VarCharValue"] for row in page["ResultSet"]["Rows"]])
        token = page.get("NextToken")
        if token is None:
            break
    assert pages == [["order_id", "O1"], ["O2", "O3"]]
    with pytest.raises(AthenaError) as too_many:
        athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"], MaxResults=1001)
    assert too_many.value.code == "InvalidRequestException"


def test_result_csv_and_metadata_are_written_like_athena(lake: Path, athena: LocalAthena) -> None:
    execution = run(
        athena,
        "select order_id, customer_id, '' as empty, 'say \"hi\"' as quoted from orders order by 1",
    )
    output = execution["ResultConfiguration"]["OutputLocation"]
    expected = join(Roots.local(lake).athena_results_root, f"{execution['QueryExecutionId']}.csv")
    assert output == expected
    csv_path = resolve_location(lake, output)
    assert csv_path.read_text().splitlines() == [
        '"order_id","customer_id","empty","quoted"',
        '"O1","000123","","say ""hi"""',
        '"O2","C000002","","say ""hi"""',
        '"O3",,"","say ""hi"""',
    ]
    metadata = json.loads(csv_path.with_suffix(".csv.metadata").read_text())
    assert [c["Name"] for c in metadata["ColumnInfo"]] == [
        "order_id",
        "customer_id",
        "empty",
        "quoted",
    ]
    reread = rows_of(LocalAthena(lake), execution)  # another process reads the same result
    assert reread[3] == ["O3", None, "", 'say "hi"']


def test_run_sync_returns_the_execution_or_fails_the_task(athena: LocalAthena) -> None:
    request = {
        "QueryString": "select count(*) as n from orders",
        "QueryExecutionContext": {"Database": "silver"},
    }
    output = athena.run_sync(request)
    assert output["QueryExecution"]["Status"]["State"] == "SUCCEEDED"
    assert output["QueryExecution"]["WorkGroup"] == "primary"

    with pytest.raises(QueryExecutionFailed) as failed:
        athena.run_sync({**request, "QueryString": "select * from orders_typo"})
    assert failed.value.error == "States.TaskFailed"
    cause = json.loads(failed.value.cause)
    assert cause["QueryExecution"]["Status"]["StateChangeReason"].startswith("TABLE_NOT_FOUND:")

    with pytest.raises(AthenaError) as rejected:
        athena.run_sync({**request, "QueryExecutionContext": {}})
    assert rejected.value.error == "Athena.InvalidRequestException"
    assert "(Service: AmazonAthena; Status Code: 400; Error Code: InvalidRequestException" in (
        rejected.value.cause
    )


def test_client_request_token_makes_start_idempotent(athena: LocalAthena) -> None:
    request = {"QueryString": "select 1", "ClientRequestToken": "daily-2026-01-01-check-1"}
    first = athena.start_query_execution(**request)["QueryExecutionId"]
    assert athena.start_query_execution(**request)["QueryExecutionId"] == first
    with pytest.raises(AthenaError) as unknown:
        athena.get_query_execution(QueryExecutionId="no-such-id")
    assert unknown.value.code == "InvalidRequestException"


def test_query_command_prints_results_and_fails_with_athena_reason(
    lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["query", "select status, count(*) as n from orders group by 1 order by 1"]
    assert main([*args, "--lake", str(lake), "--database", "silver", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["status,n", "PAID,2", "SHIPPED,1"]

    sql = "select order_id from silver.orders where order_date = ?"
    assert (
        main(["query", sql, "--lake", str(lake), "--param", "'2026-01-02'", "--format", "json"])
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [{"order_id": "O3"}]

    assert main(["query", "select * from nope", "--lake", str(lake)]) == 1
    error = capsys.readouterr().err.strip()
    assert error == "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.gold.nope' does not exist"


def test_count_if_counts_true_rows_and_is_zero_when_none_qualify(athena: LocalAthena) -> None:
    """Trino: count_if returns the number of TRUE values, a bigint, 0 over no rows or
    only NULL conditions (https://trino.io/docs/current/functions/aggregate.html#count_if);
    DuckDB's gives NULL there."""
    execution = run(
        athena,
        "select count_if(x > 0), count_if(x > 5), count_if(y) from"
        " (values (1, cast(null as boolean)), (2, cast(null as boolean))) as t (x, y)",
    )
    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    assert rows_of(athena, execution)[1:] == [["2", "0", "0"]]
    empty = run(athena, "select count_if(x > 0) from (values 1) as t (x) where x < 0")
    assert rows_of(athena, empty)[1:] == [["0"]]
