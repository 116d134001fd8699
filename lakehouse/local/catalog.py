"""A local, persistent stand-in for the Glue Data Catalog.

Methods mirror the boto3 Glue client (same names, same PascalCase keyword arguments,
same response shapes and error codes), so a Step Functions ``aws-sdk:glue:*`` task
runs unchanged against it; a failed call raises ``CatalogError`` whose ``error`` is the
Step Functions name (``Glue.EntityNotFoundException``) and ``cause`` the SDK message.
State lives in ``<lake>/_local/catalog/glue.sqlite`` and survives across runs.

``bootstrap`` is the local ``terraform apply`` of the catalog; ``sync_partitions`` is the
local crawler. Locally the database names are the logical layer names (bronze, silver,
gold, quarantine, ops); on AWS they are ``<project>_<env>_<layer>``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lakehouse.contracts.catalog import (
    LAYER_DATABASES,
    POINTER,
    VIEW,
    TableDef,
    table_definitions,
    view_input,
)
from lakehouse.contracts.catalog import table_input as contract_table_input
from lakehouse.layout import Roots, join
from lakehouse.local.catalog_partitions import (
    PUBLISHED_DATABASES,
    PartitionApi,
    data_files,
    resolve_location,
)
from lakehouse.local.catalog_store import (
    ALREADY_EXISTS,
    ENTITY_NOT_FOUND,
    INVALID_INPUT,
    LOCAL_CATALOG_ID,
    CatalogError,
    CatalogStore,
    ServiceError,
    now,
    page,
)

__all__ = [
    "ALREADY_EXISTS",
    "ENTITY_NOT_FOUND",
    "INVALID_INPUT",
    "PUBLISHED_DATABASES",
    "CatalogError",
    "LocalGlueCatalog",
    "ServiceError",
    "bootstrap",
    "call_api",
    "data_files",
    "resolve_location",
    "table_input",
]


class LocalGlueCatalog(PartitionApi):
    """The Glue catalog API (the subset the platform uses) over a SQLite file in the lake."""

    def __init__(self, lake_dir: str | Path) -> None:
        self.lake_dir = Path(lake_dir).resolve()
        self.store = CatalogStore(self.lake_dir / "_local" / "catalog" / "glue.sqlite")
        self.store.reroot(self.lake_dir.as_uri())

    def _database(self, con: Any, name: str) -> dict:
        found = self.store.get(con, "databases", name.lower())
        if found is None:
            raise CatalogError(ENTITY_NOT_FOUND, f"Database {name} not found.")
        return found

    def _table(self, con: Any, database: str, name: str) -> dict:
        self._database(con, database)
        found = self.store.get(con, "tables", database.lower(), name.lower())
        if found is None:
            raise CatalogError(ENTITY_NOT_FOUND, f"Table {name} not found.")
        return found

    # -- databases ----------------------------------------------------------------
    def create_database(self, *, DatabaseInput: dict, **_: Any) -> dict:
        name = DatabaseInput["Name"].lower()
        doc = {"Parameters": {}, **DatabaseInput, "Name": name, "CreateTime": now()}
        with self.store.write() as con:
            if self.store.get(con, "databases", name):
                raise CatalogError(ALREADY_EXISTS, "Database already exists.")
            self.store.put(con, "databases", (name,), {**doc, "CatalogId": LOCAL_CATALOG_ID})
        return {}

    def get_database(self, *, Name: str, **_: Any) -> dict:
        with self.store.read() as con:
            return {"Database": self._database(con, Name)}

    def get_databases(
        self, *, NextToken: str | None = None, MaxResults: int | None = None, **_: Any
    ) -> dict:
        with self.store.read() as con:
            databases = self.store.list(con, "databases")
        return page(databases, NextToken, MaxResults, "DatabaseList")

    # -- tables -------------------------------------------------------------------
    @staticmethod
    def _table_doc(db: str, table_input: dict, created: str, version: int) -> dict:
        doc = {"PartitionKeys": [], "Parameters": {}, **table_input}
        doc.update(Name=table_input["Name"].lower(), DatabaseName=db, CreateTime=created)
        doc.update(UpdateTime=now(), VersionId=str(version), CatalogId=LOCAL_CATALOG_ID)
        return {**doc, "CreatedBy": "local", "IsRegisteredWithLakeFormation": False}

    def create_table(self, *, DatabaseName: str, TableInput: dict, **_: Any) -> dict:
        db, name = DatabaseName.lower(), TableInput["Name"].lower()
        with self.store.write() as con:
            self._database(con, db)
            if self.store.get(con, "tables", db, name):
                raise CatalogError(ALREADY_EXISTS, "Table already exists.")
            self.store.put(con, "tables", (db, name), self._table_doc(db, TableInput, now(), 0))
        return {}

    def get_table(self, *, DatabaseName: str, Name: str, **_: Any) -> dict:
        with self.store.read() as con:
            return {"Table": self._table(con, DatabaseName, Name)}

    def get_tables(
        self,
        *,
        DatabaseName: str,
        NextToken: str | None = None,
        MaxResults: int | None = None,
        **_: Any,
    ) -> dict:
        with self.store.read() as con:
            self._database(con, DatabaseName)
            tables = self.store.list(con, "tables", DatabaseName.lower())
        return page(tables, NextToken, MaxResults, "TableList")

    def update_table(self, *, DatabaseName: str, TableInput: dict, **_: Any) -> dict:
        """Replaces the definition (Glue semantics); registered partitions are kept."""
        db, name = DatabaseName.lower(), TableInput["Name"].lower()
        with self.store.write() as con:
            old = self._table(con, db, name)
            doc = self._table_doc(db, TableInput, old["CreateTime"], int(old["VersionId"]) + 1)
            self.store.put(con, "tables", (db, name), doc)
        return {}

    def delete_table(self, *, DatabaseName: str, Name: str, **_: Any) -> dict:
        db, name = DatabaseName.lower(), Name.lower()
        with self.store.write() as con:
            self._table(con, db, name)
            self.store.delete(con, "partitions", db, name)
            self.store.delete(con, "tables", db, name)
        return {}

    # -- local conveniences (not Glue APIs) ---------------------------------------
    def sync_all_partitions(self) -> dict[str, list[list[str]]]:
        """``sync_partitions`` for every table whose partitions Athena finds by partition
        projection on AWS (``projection.enabled``): the local equivalent of projection.
        Tables whose partitions are registered explicitly (staged gold) are left alone.
        Returns ``{"<db>.<table>": [new value lists]}``."""
        added = {}
        for database in self.get_databases()["DatabaseList"]:
            if database["Name"] in PUBLISHED_DATABASES:
                continue
            for table in self.get_tables(DatabaseName=database["Name"])["TableList"]:
                projected = table.get("Parameters", {}).get("projection.enabled") == "true"
                if table["PartitionKeys"] and projected:
                    name = f"{database['Name']}.{table['Name']}"
                    added[name] = self.sync_partitions(database["Name"], table["Name"])
        return added


def call_api(client: object, action: str, parameters: dict) -> Any:
    """How a Step Functions task reaches a local service: ``aws-sdk:glue:createPartition``
    with ``Parameters`` becomes ``client.create_partition(**parameters)``. Failures raise
    ``ServiceError`` with the Step Functions ``error`` and ``cause``."""
    method = getattr(client, re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower(), None)
    if method is None or action.startswith("_"):
        raise ValueError(f"{type(client).__name__} does not implement {action}")
    return method(**parameters)


def table_input(definition: TableDef, roots: Roots) -> dict:
    """The Glue TableInput for one contract table (Location = its dataset folder) or
    view (as Athena stores views)."""
    if definition.kind == VIEW:
        return view_input(definition, definition.database)
    location = join(getattr(roots, definition.root_key), definition.dataset)
    return contract_table_input(definition, location)


def bootstrap(lake_dir: str | Path) -> LocalGlueCatalog:
    """Creates the layer databases and one table or view per ``table_definitions()``
    entry: the local ``terraform apply`` of the catalog.

    Idempotent; a changed contract updates its table definition (partitions stay). The
    publication pointer keeps the Location publish gave it. Tables are never dropped,
    as tables other code registered (ops) must survive.
    """
    catalog = LocalGlueCatalog(lake_dir)
    roots = Roots.local(lake_dir)
    for layer in LAYER_DATABASES:
        _ignore_already_exists(
            catalog.create_database, DatabaseInput={"Name": layer, "Description": f"{layer} layer"}
        )
    for definition in table_definitions():
        wanted = table_input(definition, roots)
        try:
            current = catalog.get_table(DatabaseName=definition.database, Name=definition.name)
        except CatalogError as exc:
            if exc.code != ENTITY_NOT_FOUND:
                raise
            _ignore_already_exists(
                catalog.create_table, DatabaseName=definition.database, TableInput=wanted
            )
            continue
        if definition.kind == POINTER:
            location = current["Table"]["StorageDescriptor"]["Location"]
            wanted["StorageDescriptor"]["Location"] = location
        if any(current["Table"].get(key) != value for key, value in wanted.items()):
            catalog.update_table(DatabaseName=definition.database, TableInput=wanted)
    return catalog


def _ignore_already_exists(call: Any, **request: Any) -> None:
    """Create calls tolerate a concurrent bootstrap (another process got there first)."""
    try:
        call(**request)
    except CatalogError as exc:
        if exc.code != ALREADY_EXISTS:
            raise
