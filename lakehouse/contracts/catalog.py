"""Glue catalog table definitions derived from the contracts.

Terraform derives the same tables in HCL (terraform/modules/catalog) and a contract
test compares the two, so this module is the reference for what a layer's table
looks like. The local catalog is bootstrapped from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lakehouse.contracts import Contract, gold, layers, sources

LAYER_DATABASES = ("bronze", "silver", "gold", "quarantine", "ops")
# Glue storage settings of every table and partition: Parquet via the Hive SerDe.
PARQUET_FORMAT = {
    "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    "SerdeInfo": {
        "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        "Parameters": {"serialization.format": "1"},
    },
}


TABLE, VIEW, POINTER = "table", "view", "pointer"
PUBLICATION_TABLE = "published_partitions"
PUBLICATIONS_DATASET = "publications"
PUBLICATION_COLUMNS = (
    ("table_name", "string"),
    ("partition_value", "string"),
    ("run_id", "string"),
)


@dataclass(frozen=True)
class TableDef:
    """One catalog object. ``kind``: a Parquet ``table`` (partitions found by Athena
    partition projection when ``projected``, else registered explicitly), an Athena
    ``view`` (``view_sql``, Trino, logical database names), or the ``pointer`` table
    whose Location publish switches (docs/adr/0007)."""

    database: str  # logical layer name; deployments prefix it (<project>_<env>_<layer>)
    name: str
    columns: tuple[tuple[str, str], ...]
    partition_keys: tuple[tuple[str, str], ...]
    root_key: str  # which --*_root the table lives under
    dataset: str  # folder name under that root
    has_pii: bool = False
    kind: str = TABLE
    projected: bool = True
    view_sql: str | None = None


def silver_column_name(contract: Contract, column: str) -> str:
    col = contract.column(column)
    suffix = layers()["silver"]["pii_suffix"]
    return f"{col.name}{suffix[col.pii]}" if col.pii else col.name


def silver_columns(contract: Contract) -> list[tuple[str, str]]:
    """Typed contract columns (CDC op dropped, PII renamed) + silver metadata."""
    op = contract.cdc.op_column if contract.cdc else None
    cols = [
        (silver_column_name(contract, c.name), c.type) for c in contract.columns if c.name != op
    ]
    cols += [(m["name"], m["type"]) for m in layers()["silver"]["meta_columns"]]
    return cols


def bronze_columns(contract: Contract) -> list[tuple[str, str]]:
    source_type = layers()["bronze"]["source_columns_type"]
    cols = [(c.name, source_type) for c in contract.columns]
    cols += [(m["name"], m["type"]) for m in layers()["bronze"]["lineage_columns"]]
    return cols


def quarantine_columns() -> list[tuple[str, str]]:
    return [(m["name"], m["type"]) for m in layers()["quarantine"]["columns"]]


def table_definitions() -> list[TableDef]:
    bronze_part = layers()["bronze"]["partition"]
    quarantine_part = layers()["quarantine"]["partition"]
    tables: list[TableDef] = []
    for c in sources():
        has_pii = bool(c.pii_columns)
        tables.append(
            TableDef(
                "bronze",
                c.name,
                tuple(bronze_columns(c)),
                ((bronze_part["column"], bronze_part["type"]),),
                "bronze_root",
                c.name,
                has_pii,
            )
        )
        tables.append(
            TableDef(
                "silver",
                c.name,
                tuple(silver_columns(c)),
                ((c.partition.column, "string"),),
                "silver_root",
                c.name,
                False,  # PII is tokenised / masked before silver
            )
        )
        tables.append(
            TableDef(
                "quarantine",
                c.name,
                tuple(quarantine_columns()),
                ((quarantine_part["column"], quarantine_part["type"]),),
                "quarantine_root",
                c.name,
                False,  # raw_record is written with PII masked
            )
        )
    tables += ops_tables()
    for g in gold():
        tables.append(
            TableDef(
                "gold",
                g.name,
                (*((col.name, col.type) for col in g.columns), (g.partition.column, "string")),
                (),
                "gold_staging_root",
                g.name,
                kind=VIEW,
                projected=False,
                view_sql=gold_view_sql(g),
            )
        )
    return tables


def gold_view_sql(contract: Contract) -> str:
    """What readers of ``gold.<table>`` see: the staged partitions the current
    publication names (Trino; logical database names, as every SQL file here)."""
    part = contract.partition.column
    columns = ", ".join(f"s.{c.name}" for c in contract.columns)
    return (
        f"select {columns}, s.{part} "
        f"from ops.{STAGED_PREFIX}{contract.name} as s "
        f"join ops.{PUBLICATION_TABLE} as p "
        f"on p.table_name = '{contract.name}' and p.run_id = s.run_id "
        f"and p.partition_value = s.{part}"
    )


STAGED_PREFIX = "staged_"


def ops_tables() -> list[TableDef]:
    """Tables the validation gate and the gold views read besides the layers: the jobs'
    counts, each gold table's staged partitions keyed by run id (registered by the
    state machine after staging, never projected: the gold views join them), and the
    publication pointer."""
    from lakehouse.metrics import JOB_METRICS_COLUMNS, JOB_METRICS_DATASET, JOB_METRICS_PARTITIONS

    tables = [
        TableDef(
            "ops",
            JOB_METRICS_DATASET,
            tuple(JOB_METRICS_COLUMNS),
            tuple(JOB_METRICS_PARTITIONS),
            "ops_root",
            JOB_METRICS_DATASET,
        )
    ]
    for g in gold():
        tables.append(
            TableDef(
                "ops",
                f"{STAGED_PREFIX}{g.name}",
                tuple((col.name, col.type) for col in g.columns),
                (("run_id", "string"), (g.partition.column, "string")),
                "gold_staging_root",
                g.name,
                projected=False,
            )
        )
    tables.append(
        TableDef(
            "ops",
            PUBLICATION_TABLE,
            PUBLICATION_COLUMNS,
            (),
            "ops_root",
            f"{PUBLICATIONS_DATASET}/none",
            kind=POINTER,
            projected=False,
        )
    )
    return tables


def partition_input(table: TableDef, values: list[str], location: str) -> dict:
    """A Glue PartitionInput for ``table`` at ``location`` (what publish sends)."""
    columns = [{"Name": name, "Type": type_} for name, type_ in table.columns]
    return {
        "Values": list(values),
        "StorageDescriptor": {"Columns": columns, "Location": location, **PARQUET_FORMAT},
    }


def table_input(table: TableDef, location: str) -> dict:
    """The Glue TableInput of a Parquet table (or the pointer) at ``location``; what
    Terraform creates and what publish sends to UpdateTable (which replaces the whole
    definition, so every field is here)."""
    columns = [{"Name": name, "Type": type_} for name, type_ in table.columns]
    parameters = {"classification": "parquet", "EXTERNAL": "TRUE"}
    if table.projected and table.partition_keys:
        parameters["projection.enabled"] = "true"
    return {
        "Name": table.name,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": parameters,
        "PartitionKeys": [{"Name": n, "Type": t} for n, t in table.partition_keys],
        "StorageDescriptor": {"Columns": columns, "Location": location, **PARQUET_FORMAT},
    }


def presto_type(glue_type: str) -> str:
    """The Trino type Athena records for a view column of this Glue (Hive) type."""
    return {"string": "varchar", "timestamp": "timestamp(3)"}.get(glue_type, glue_type)


def view_input(view: TableDef, database: str) -> dict:
    """The Glue TableInput of an Athena view, as Athena stores one: VIRTUAL_VIEW, the
    Trino SQL base64-encoded in ``/* Presto View: ... */`` with the column types.
    https://docs.aws.amazon.com/athena/latest/ug/views.html"""
    import base64
    import json

    columns = [
        {"name": n, "type": presto_type(t)} for n, t in (*view.columns, *view.partition_keys)
    ]
    spec = {
        "originalSql": view.view_sql,
        "catalog": "awsdatacatalog",
        "schema": database,
        "columns": columns,
        "owner": "lakehouse",
        "runAsInvoker": False,
    }
    encoded = base64.b64encode(json.dumps(spec).encode("utf-8")).decode("ascii")
    return {
        "Name": view.name,
        "TableType": "VIRTUAL_VIEW",
        "Parameters": {"presto_view": "true", "comment": "Presto View"},
        "PartitionKeys": [],
        "ViewOriginalText": f"/* Presto View: {encoded} */",
        "ViewExpandedText": "/* Presto View */",
        "StorageDescriptor": {
            "Columns": [{"Name": n, "Type": t} for n, t in view.columns],
            "SerdeInfo": {},
        },
    }


def decode_presto_view(original_text: str) -> dict:
    """The JSON spec inside a ``/* Presto View: <base64> */`` text."""
    import base64
    import json

    prefix, suffix = "/* Presto View: ", " */"
    if not (original_text.startswith(prefix) and original_text.endswith(suffix)):
        raise ValueError("not an Athena (Presto) view text")
    return json.loads(base64.b64decode(original_text[len(prefix) : -len(suffix)]))


def find_table(database: str, name: str) -> TableDef:
    for table in table_definitions():
        if (table.database, table.name) == (database, name):
            return table
    raise KeyError(f"no catalog table {database}.{name} in the contracts")
