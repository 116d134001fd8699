"""Partition half of the local Glue catalog: the Glue partition APIs, and discovery of
``<key>=<value>`` folders (what a crawler or ``MSCK REPAIR TABLE`` does)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lakehouse.layout import join, to_local_path
from lakehouse.local.catalog_store import (
    ALREADY_EXISTS,
    ENTITY_NOT_FOUND,
    INVALID_INPUT,
    LOCAL_CATALOG_ID,
    CatalogError,
    CatalogStore,
    filter_partitions,
    now,
    page,
    values_key,
)

# Gold partitions are published by pointing them at a validated staging folder; a
# folder existing must never make one visible, so these databases are never crawled.
PUBLISHED_DATABASES = frozenset({"gold"})


def resolve_location(lake_dir: str | Path, location: str) -> Path:
    """Where a catalog Location is on this machine: ``file://`` URLs and paths as they
    are; ``s3://<bucket>/<key>`` as ``<lake>/<bucket>/<key>`` (one folder per bucket)."""
    if location.startswith("s3://"):
        parsed = urlparse(location)
        return Path(lake_dir).resolve() / parsed.netloc / unquote(parsed.path.lstrip("/"))
    return to_local_path(location)


def data_files(folder: Path) -> list[Path]:
    """Files Athena would read under ``folder``; names starting with ``.`` or ``_`` (and
    anything below such folders, e.g. Spark's ``_temporary``) are skipped, as in Hive."""
    found: list[Path] = []
    # os.walk, not rglob: hidden folders are pruned before they are listed, and a folder
    # that vanishes while it is walked (a writer committing and removing its
    # ``_temporary``) is skipped instead of raising FileNotFoundError.
    for parent, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d[0] not in "._"]
        found.extend(Path(parent, f) for f in files if f[0] not in "._")
    return sorted(found)


class PartitionApi:
    """Glue partition calls; mixed into LocalGlueCatalog, which provides the attributes."""

    lake_dir: Path
    store: CatalogStore

    def _table(self, con: Any, database: str, name: str) -> dict:
        raise NotImplementedError

    def get_table(self, *, DatabaseName: str, Name: str, **_: Any) -> dict:
        raise NotImplementedError

    @staticmethod
    def _partition_doc(table: dict, partition_input: dict, created: str) -> dict:
        values = [str(v) for v in partition_input.get("Values", [])]
        if len(values) != len(table["PartitionKeys"]):
            message = "The number of partition keys do not match the number of partition values"
            raise CatalogError(INVALID_INPUT, message)
        doc = {"Parameters": {}, **partition_input, "Values": values}
        doc.update(DatabaseName=table["DatabaseName"], TableName=table["Name"])
        return {**doc, "CreationTime": created, "CatalogId": LOCAL_CATALOG_ID}

    def _insert_partition(self, con: Any, table: dict, partition_input: dict, created: str) -> None:
        doc = self._partition_doc(table, partition_input, created)
        key = (table["DatabaseName"], table["Name"], values_key(doc["Values"]))
        if self.store.get(con, "partitions", *key):
            raise CatalogError(ALREADY_EXISTS, "Partition already exists.")
        self.store.put(con, "partitions", key, doc)

    def _key(self, con: Any, database: str, table: str, values: list[str]) -> tuple[str, ...]:
        found = self._table(con, database, table)
        return (found["DatabaseName"], found["Name"], values_key(values))

    def create_partition(
        self, *, DatabaseName: str, TableName: str, PartitionInput: dict, **_: Any
    ) -> dict:
        with self.store.write() as con:
            table = self._table(con, DatabaseName, TableName)
            self._insert_partition(con, table, PartitionInput, now())
        return {}

    def batch_create_partition(
        self, *, DatabaseName: str, TableName: str, PartitionInputList: list[dict], **_: Any
    ) -> dict:
        """Creates what it can; per-partition failures come back in ``Errors`` (no raise)."""
        errors = []
        with self.store.write() as con:
            table = self._table(con, DatabaseName, TableName)
            for partition_input in PartitionInputList:
                try:
                    self._insert_partition(con, table, partition_input, now())
                except CatalogError as exc:
                    detail = {"ErrorCode": exc.code, "ErrorMessage": exc.message}
                    values = partition_input.get("Values", [])
                    errors.append({"PartitionValues": values, "ErrorDetail": detail})
        return {"Errors": errors}

    def get_partition(
        self, *, DatabaseName: str, TableName: str, PartitionValues: list[str], **_: Any
    ) -> dict:
        with self.store.read() as con:
            key = self._key(con, DatabaseName, TableName, PartitionValues)
            found = self.store.get(con, "partitions", *key)
        if found is None:
            raise CatalogError(ENTITY_NOT_FOUND, "Cannot find partition.")
        return {"Partition": found}

    def get_partitions(
        self,
        *,
        DatabaseName: str,
        TableName: str,
        Expression: str | None = None,
        NextToken: str | None = None,
        MaxResults: int | None = None,
        **_: Any,
    ) -> dict:
        """Partitions ordered by values; ``Expression`` filters on the keys like Glue's."""
        with self.store.read() as con:
            table = self._table(con, DatabaseName, TableName)
            partitions = self.store.list(con, "partitions", table["DatabaseName"], table["Name"])
        partitions.sort(key=lambda p: p["Values"])
        if Expression:
            try:
                partitions = filter_partitions(partitions, table["PartitionKeys"], Expression)
            except ValueError as exc:
                raise CatalogError(INVALID_INPUT, f"Unsupported expression: {exc}") from exc
        return page(partitions, NextToken, MaxResults, "Partitions")

    def update_partition(
        self,
        *,
        DatabaseName: str,
        TableName: str,
        PartitionValueList: list[str],
        PartitionInput: dict,
        **_: Any,
    ) -> dict:
        """Replaces one partition in one transaction: readers see old or new, never neither.
        As in Glue, Values cannot change (delete and recreate the partition instead)."""
        values = [str(v) for v in PartitionValueList]
        if [str(v) for v in PartitionInput.get("Values", values)] != values:
            message = "The Values property can't be changed; delete and recreate the partition"
            raise CatalogError(INVALID_INPUT, message)
        with self.store.write() as con:
            table = self._table(con, DatabaseName, TableName)
            key = (table["DatabaseName"], table["Name"], values_key(values))
            old = self.store.get(con, "partitions", *key)
            if old is None:
                raise CatalogError(ENTITY_NOT_FOUND, "Partition not found.")
            doc = self._partition_doc(
                table, {**PartitionInput, "Values": values}, old["CreationTime"]
            )
            self.store.put(con, "partitions", key, doc)
        return {}

    def delete_partition(
        self, *, DatabaseName: str, TableName: str, PartitionValues: list[str], **_: Any
    ) -> dict:
        with self.store.write() as con:
            key = self._key(con, DatabaseName, TableName, PartitionValues)
            if self.store.delete(con, "partitions", *key) == 0:
                raise CatalogError(ENTITY_NOT_FOUND, "Cannot find partition.")
        return {}

    # -- local conveniences (not Glue APIs) ---------------------------------------
    def all_partitions(self, database: str, table: str) -> list[dict]:
        response = self.get_partitions(DatabaseName=database, TableName=table, MaxResults=10**9)
        return response["Partitions"]

    def sync_partitions(self, database: str, table: str) -> list[list[str]]:
        """Registers ``<key>=<value>`` folders holding data under the table's Location that
        are not registered yet; returns the value lists it added. Refuses published
        (gold) databases: there, only an explicit publish may make a partition visible."""
        if database.lower() in PUBLISHED_DATABASES:
            message = f"{database} partitions are published explicitly, never discovered"
            raise CatalogError(INVALID_INPUT, message)
        definition = self.get_table(DatabaseName=database, Name=table)["Table"]
        if not definition["PartitionKeys"]:
            return []  # an unpartitioned table reads its Location; nothing to register
        storage = definition["StorageDescriptor"]
        root = resolve_location(self.lake_dir, storage["Location"])
        known = {tuple(p["Values"]) for p in self.all_partitions(database, table)}
        inputs = []
        for values, folder in _partition_folders(root, definition["PartitionKeys"]):
            if tuple(values) not in known and data_files(folder):
                location = join(storage["Location"], folder.relative_to(root).as_posix())
                descriptor = {**storage, "Location": location}
                inputs.append({"Values": values, "StorageDescriptor": descriptor})
        if inputs:
            self.batch_create_partition(
                DatabaseName=database, TableName=table, PartitionInputList=inputs
            )
        return [i["Values"] for i in inputs]


def _partition_folders(root: Path, keys: list[dict]) -> list[tuple[list[str], Path]]:
    """``(values, folder)`` for every ``k1=v1/k2=v2/...`` folder path under ``root``."""
    level: list[tuple[list[str], Path]] = [([], root)]
    for key in keys:
        prefix = f"{key['Name']}="
        level = [
            ([*values, unquote(child.name[len(prefix) :])], child)  # Hive %-escapes values
            for values, folder in level
            for child in _subfolders(folder)
            if child.name.startswith(prefix)
        ]
    return level


def _subfolders(folder: Path) -> list[Path]:
    """Sorted child folders; none when ``folder`` is missing or vanishes while listed."""
    try:
        return sorted(Path(e.path) for e in os.scandir(folder) if e.is_dir())
    except (FileNotFoundError, NotADirectoryError):
        return []
