"""The local Glue catalog: Glue-shaped CRUD and errors, persistence, bootstrap, sync."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lakehouse.contracts.catalog import LAYER_DATABASES, decode_presto_view, table_definitions
from lakehouse.layout import Roots, join
from lakehouse.local.catalog import (
    CatalogError,
    LocalGlueCatalog,
    bootstrap,
    call_api,
    data_files,
    resolve_location,
    table_input,
)

EVENTS = {
    "Name": "events",
    "TableType": "EXTERNAL_TABLE",
    "PartitionKeys": [{"Name": "event_date", "Type": "string"}],
    "StorageDescriptor": {
        "Columns": [{"Name": "event_id", "Type": "string"}],
        "Location": "file:///tmp/nowhere/events",
    },
}


@pytest.fixture
def catalog(tmp_path: Path) -> LocalGlueCatalog:
    glue = LocalGlueCatalog(tmp_path)
    glue.create_database(DatabaseInput={"Name": "silver"})
    glue.create_table(DatabaseName="silver", TableInput=EVENTS)
    return glue


def partition(date: str, location: str | None = None) -> dict:
    where = location or f"file:///tmp/nowhere/events/event_date={date}"
    return {"Values": [date], "StorageDescriptor": {"Location": where}}


def assert_glue_error(exc: pytest.ExceptionInfo[CatalogError], code: str, text: str) -> None:
    assert exc.value.code == code
    assert exc.value.error == f"Glue.{code}"
    assert exc.value.cause.startswith(text)
    assert "(Service: Glue, Status Code: 400, Request ID: " in exc.value.cause


def test_database_and_table_have_glue_shapes(catalog: LocalGlueCatalog) -> None:
    assert catalog.get_database(Name="silver")["Database"]["Name"] == "silver"
    table = catalog.get_table(DatabaseName="silver", Name="EVENTS")["Table"]
    assert table["Name"] == "events"
    assert table["DatabaseName"] == "silver"
    assert table["TableType"] == "EXTERNAL_TABLE"
    assert table["PartitionKeys"] == [{"Name": "event_date", "Type": "string"}]
    assert table["StorageDescriptor"]["Columns"] == [{"Name": "event_id", "Type": "string"}]
    assert table["VersionId"] == "0"
    assert [t["Name"] for t in catalog.get_tables(DatabaseName="silver")["TableList"]] == ["events"]


def test_missing_and_duplicate_entities_raise_glue_errors(catalog: LocalGlueCatalog) -> None:
    with pytest.raises(CatalogError) as missing_db:
        catalog.get_database(Name="nope")
    assert_glue_error(missing_db, "EntityNotFoundException", "Database nope not found.")
    with pytest.raises(CatalogError) as missing_table:
        catalog.get_table(DatabaseName="silver", Name="nope")
    assert_glue_error(missing_table, "EntityNotFoundException", "Table nope not found.")
    with pytest.raises(CatalogError) as duplicate_db:
        catalog.create_database(DatabaseInput={"Name": "silver"})
    assert_glue_error(duplicate_db, "AlreadyExistsException", "Database already exists.")
    with pytest.raises(CatalogError) as duplicate_table:
        catalog.create_table(DatabaseName="silver", TableInput=EVENTS)
    assert_glue_error(duplicate_table, "AlreadyExistsException", "Table already exists.")


def test_partition_crud_and_errors(catalog: LocalGlueCatalog) -> None:
    names = {"DatabaseName": "silver", "TableName": "events"}
    catalog.create_partition(**names, PartitionInput=partition("2026-01-01"))
    found = catalog.get_partition(**names, PartitionValues=["2026-01-01"])["Partition"]
    assert found["Values"] == ["2026-01-01"]
    assert found["StorageDescriptor"]["Location"].endswith("event_date=2026-01-01")
    assert found["TableName"] == "events"

    with pytest.raises(CatalogError) as duplicate:
        catalog.create_partition(**names, PartitionInput=partition("2026-01-01"))
    assert_glue_error(duplicate, "AlreadyExistsException", "Partition already exists.")
    with pytest.raises(CatalogError) as wrong_arity:
        catalog.create_partition(**names, PartitionInput={"Values": ["a", "b"]})
    assert_glue_error(wrong_arity, "InvalidInputException", "The number of partition keys")
    with pytest.raises(CatalogError) as missing:
        catalog.get_partition(**names, PartitionValues=["2030-01-01"])
    assert_glue_error(missing, "EntityNotFoundException", "Cannot find partition.")

    catalog.delete_partition(**names, PartitionValues=["2026-01-01"])
    assert catalog.get_partitions(**names)["Partitions"] == []


def test_batch_create_reports_per_partition_errors(catalog: LocalGlueCatalog) -> None:
    names = {"DatabaseName": "silver", "TableName": "events"}
    catalog.create_partition(**names, PartitionInput=partition("2026-01-01"))
    inputs = [partition("2026-01-01"), partition("2026-01-02")]
    errors = catalog.batch_create_partition(**names, PartitionInputList=inputs)["Errors"]
    assert errors == [
        {
            "PartitionValues": ["2026-01-01"],
            "ErrorDetail": {
                "ErrorCode": "AlreadyExistsException",
                "ErrorMessage": "Partition already exists.",
            },
        }
    ]
    values = [p["Values"] for p in catalog.get_partitions(**names)["Partitions"]]
    assert values == [["2026-01-01"], ["2026-01-02"]]


def test_update_partition_repoints_location(catalog: LocalGlueCatalog) -> None:
    names = {"DatabaseName": "silver", "TableName": "events"}
    catalog.create_partition(**names, PartitionInput=partition("2026-01-01"))
    staged = partition("2026-01-01", "file:///tmp/staging/run-2/event_date=2026-01-01")
    catalog.update_partition(**names, PartitionValueList=["2026-01-01"], PartitionInput=staged)
    found = catalog.get_partition(**names, PartitionValues=["2026-01-01"])["Partition"]
    assert found["StorageDescriptor"]["Location"] == staged["StorageDescriptor"]["Location"]
    with pytest.raises(CatalogError) as missing:
        location_only = {"StorageDescriptor": staged["StorageDescriptor"]}
        catalog.update_partition(
            **names, PartitionValueList=["1999-01-01"], PartitionInput=location_only
        )
    assert missing.value.code == "EntityNotFoundException"
    with pytest.raises(CatalogError) as renamed:
        catalog.update_partition(
            **names, PartitionValueList=["2026-01-01"], PartitionInput=partition("2026-01-09")
        )
    assert renamed.value.code == "InvalidInputException"


def test_get_partitions_filters_by_expression_and_paginates(catalog: LocalGlueCatalog) -> None:
    names = {"DatabaseName": "silver", "TableName": "events"}
    dates = ["2026-01-03", "2026-01-01", "2026-02-01", "2026-01-02"]
    catalog.batch_create_partition(**names, PartitionInputList=[partition(d) for d in dates])
    january = catalog.get_partitions(
        **names, Expression="event_date >= '2026-01-01' AND event_date < '2026-02-01'"
    )["Partitions"]
    assert [p["Values"][0] for p in january] == ["2026-01-01", "2026-01-02", "2026-01-03"]

    first = catalog.get_partitions(**names, MaxResults=3)
    second = catalog.get_partitions(**names, MaxResults=3, NextToken=first["NextToken"])
    assert [p["Values"][0] for p in first["Partitions"]] == sorted(dates)[:3]
    assert [p["Values"][0] for p in second["Partitions"]] == ["2026-02-01"]
    assert "NextToken" not in second
    with pytest.raises(CatalogError) as bad:
        catalog.get_partitions(**names, Expression="event_date >>> 1")
    assert bad.value.code == "InvalidInputException"


def test_state_persists_across_instances_and_concurrent_writers(tmp_path: Path) -> None:
    LocalGlueCatalog(tmp_path).create_database(DatabaseInput={"Name": "silver"})
    LocalGlueCatalog(tmp_path).create_table(DatabaseName="silver", TableInput=EVENTS)

    def register(day: int) -> None:
        LocalGlueCatalog(tmp_path).create_partition(
            DatabaseName="silver", TableName="events", PartitionInput=partition(f"2026-01-{day:02}")
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(register, range(1, 25)))
    reopened = LocalGlueCatalog(tmp_path)
    assert len(reopened.all_partitions("silver", "events")) == 24


def test_bootstrap_matches_table_definitions_and_is_idempotent(tmp_path: Path) -> None:
    catalog = bootstrap(tmp_path)
    databases = {d["Name"] for d in catalog.get_databases()["DatabaseList"]}
    assert databases == set(LAYER_DATABASES)
    roots = Roots.local(tmp_path)
    for definition in table_definitions():
        table = catalog.get_table(DatabaseName=definition.database, Name=definition.name)["Table"]
        columns = [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]
        assert columns == list(definition.columns)
        keys = [(k["Name"], k["Type"]) for k in table["PartitionKeys"]]
        assert keys == list(definition.partition_keys)
        if definition.kind == "view":  # an Athena view: its query, no data location
            assert table["TableType"] == "VIRTUAL_VIEW"
            spec = decode_presto_view(table["ViewOriginalText"])
            assert spec["originalSql"] == definition.view_sql
            continue
        location = join(getattr(roots, definition.root_key), definition.dataset)
        assert table["StorageDescriptor"]["Location"] == location
        assert table["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"].endswith(
            "ParquetHiveSerDe"
        )
    bootstrap(tmp_path)
    orders = catalog.get_table(DatabaseName="silver", Name="orders")["Table"]
    assert orders["VersionId"] == "0"  # a second bootstrap changed nothing


def test_bootstrap_updates_a_drifted_table_and_keeps_partitions(tmp_path: Path) -> None:
    catalog = bootstrap(tmp_path)
    definition = next(
        d for d in table_definitions() if (d.database, d.name) == ("silver", "orders")
    )
    drifted = table_input(definition, Roots.local(tmp_path))
    drifted["StorageDescriptor"]["Columns"] = drifted["StorageDescriptor"]["Columns"][:1]
    catalog.update_table(DatabaseName="silver", TableInput=drifted)
    catalog.create_partition(
        DatabaseName="silver", TableName="orders", PartitionInput=partition("2026-01-01")
    )
    bootstrap(tmp_path)
    table = catalog.get_table(DatabaseName="silver", Name="orders")["Table"]
    assert len(table["StorageDescriptor"]["Columns"]) == len(definition.columns)
    assert table["VersionId"] == "2"
    assert len(catalog.all_partitions("silver", "orders")) == 1


def test_bootstrap_keeps_the_publication_pointer_where_publish_left_it(tmp_path: Path) -> None:
    catalog = bootstrap(tmp_path)
    pointer = catalog.get_table(DatabaseName="ops", Name="published_partitions")["Table"]
    moved = {k: pointer[k] for k in ("Name", "TableType", "Parameters", "PartitionKeys")}
    moved["StorageDescriptor"] = {**pointer["StorageDescriptor"], "Location": "file:///x/run_id=r1"}
    catalog.update_table(DatabaseName="ops", TableInput=moved)
    bootstrap(tmp_path)
    again = catalog.get_table(DatabaseName="ops", Name="published_partitions")["Table"]
    assert again["StorageDescriptor"]["Location"] == "file:///x/run_id=r1"


def write_parquet(folder: Path, rows: dict[str, list]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(rows), folder / "part-00000.parquet")


def test_sync_registers_new_partition_folders_with_data_only(tmp_path: Path) -> None:
    catalog = bootstrap(tmp_path)
    table = catalog.get_table(DatabaseName="silver", Name="orders")["Table"]
    root = resolve_location(tmp_path, table["StorageDescriptor"]["Location"])
    write_parquet(root / "order_date=2026-01-01", {"order_id": ["O1"]})
    write_parquet(root / "order_date=2026-01-02", {"order_id": ["O2"]})
    (root / "order_date=2026-01-03").mkdir()  # no data yet: not a partition
    write_parquet(root / "_temporary" / "order_date=2026-01-04", {"order_id": ["O4"]})

    assert catalog.sync_partitions("silver", "orders") == [["2026-01-01"], ["2026-01-02"]]
    registered = catalog.get_partition(
        DatabaseName="silver", TableName="orders", PartitionValues=["2026-01-02"]
    )["Partition"]
    expected = join(table["StorageDescriptor"]["Location"], "order_date=2026-01-02")
    assert registered["StorageDescriptor"]["Location"] == expected
    assert catalog.sync_partitions("silver", "orders") == []

    unpartitioned = {**EVENTS, "Name": "snapshot", "PartitionKeys": []}
    unpartitioned["StorageDescriptor"] = {**EVENTS["StorageDescriptor"], "Location": root.as_uri()}
    catalog.create_table(DatabaseName="ops", TableInput=unpartitioned)
    assert catalog.sync_partitions("ops", "snapshot") == []
    assert catalog.all_partitions("ops", "snapshot") == []


def test_a_writer_removing_its_temporary_folder_mid_listing_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Spark commit deletes ``_temporary`` while readers list the table (a CI run of the
    kill-point suite met FileNotFoundError from such a listing). Hive-hidden folders are
    pruned unlisted, and a partition folder that vanishes is skipped, like an S3 prefix
    whose objects were deleted between two ListObjectsV2 pages."""
    catalog = bootstrap(tmp_path)
    table = catalog.get_table(DatabaseName="silver", Name="orders")["Table"]
    root = resolve_location(tmp_path, table["StorageDescriptor"]["Location"])
    write_parquet(root / "order_date=2026-01-01", {"order_id": ["O1"]})
    write_parquet(root / "order_date=2026-01-01" / "_temporary" / "0", {"order_id": ["O9"]})
    (root / "order_date=2026-01-02").mkdir()
    real_scandir = os.scandir

    def vanishing(path):  # the folder is gone by the time it is listed
        if Path(path).name in ("_temporary", "order_date=2026-01-02"):
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", vanishing)
    assert data_files(root / "order_date=2026-01-01") == sorted(
        (root / "order_date=2026-01-01").glob("*.parquet")
    )
    assert catalog.sync_partitions("silver", "orders") == [["2026-01-01"]]


def test_a_copied_lake_reads_its_own_files_not_the_originals(tmp_path: Path) -> None:
    """Every location of a copied lake's catalog moves under the copy the first time it
    is opened there; the original's catalog is untouched."""
    import shutil

    original = tmp_path / "lake"
    catalog = bootstrap(original)
    location = catalog.get_table(DatabaseName="silver", Name="orders")["Table"][
        "StorageDescriptor"
    ]["Location"]
    root = resolve_location(original, location)
    write_parquet(root / "order_date=2026-01-01", {"order_id": ["O1"]})
    catalog.sync_partitions("silver", "orders")
    copy = tmp_path / "lake-copy"
    shutil.copytree(original, copy)

    moved = LocalGlueCatalog(copy)
    table = moved.get_table(DatabaseName="silver", Name="orders")["Table"]
    (partition,) = moved.get_partitions(DatabaseName="silver", TableName="orders")["Partitions"]
    for found in (table, partition):
        assert found["StorageDescriptor"]["Location"].startswith(copy.resolve().as_uri() + "/")
    assert (
        LocalGlueCatalog(original)
        .get_partitions(DatabaseName="silver", TableName="orders")["Partitions"][0][
            "StorageDescriptor"
        ]["Location"]
        .startswith(original.resolve().as_uri() + "/")
    )


def test_staged_gold_is_never_discovered_from_folders(tmp_path: Path) -> None:
    """Staged gold partitions become visible only by explicit registration (and to
    readers only through a publication): on AWS the staged tables have no partition
    projection, so a folder existing must not register anything locally either."""
    catalog = bootstrap(tmp_path)
    table = catalog.get_table(DatabaseName="ops", Name="staged_daily_sales")["Table"]
    assert "projection.enabled" not in table["Parameters"]
    root = resolve_location(tmp_path, table["StorageDescriptor"]["Location"])
    write_parquet(root / "run_id=r1" / "order_date=2026-01-01", {"country": ["US"]})
    added = catalog.sync_all_partitions()
    assert "ops.staged_daily_sales" not in added
    assert catalog.all_partitions("ops", "staged_daily_sales") == []
    with pytest.raises(CatalogError) as refused:
        catalog.sync_partitions("gold", "daily_sales")
    assert refused.value.code == "InvalidInputException"


def test_s3_locations_map_to_bucket_folders_in_the_lake(tmp_path: Path) -> None:
    location = "s3://lakehouse-local-analytics-000000000000-local/gold_staging/daily_sales/order_date=2026-01-01"
    expected = (
        tmp_path
        / "lakehouse-local-analytics-000000000000-local/gold_staging/daily_sales/order_date=2026-01-01"
    )
    assert resolve_location(tmp_path, location) == expected.resolve()
    assert resolve_location(tmp_path, (tmp_path / "x").as_uri()) == tmp_path / "x"


def test_step_functions_actions_reach_the_catalog_methods(catalog: LocalGlueCatalog) -> None:
    names = {"DatabaseName": "silver", "TableName": "events"}
    call_api(catalog, "createPartition", {**names, "PartitionInput": partition("2026-01-01")})
    found = call_api(catalog, "getPartitions", names)["Partitions"]
    assert [p["Values"] for p in found] == [["2026-01-01"]]
    with pytest.raises(CatalogError) as missing:
        call_api(catalog, "getPartition", {**names, "PartitionValues": ["2030-01-01"]})
    assert missing.value.error == "Glue.EntityNotFoundException"
    with pytest.raises(ValueError, match="does not implement startCrawler"):
        call_api(catalog, "startCrawler", {"Name": "crawler"})
