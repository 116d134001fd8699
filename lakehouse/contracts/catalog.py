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


@dataclass(frozen=True)
class TableDef:
    database: str  # logical layer name; deployments prefix it (<project>_<env>_<layer>)
    name: str
    columns: tuple[tuple[str, str], ...]
    partition_keys: tuple[tuple[str, str], ...]
    root_key: str  # which --*_root the table lives under
    dataset: str  # folder name under that root
    has_pii: bool = False


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
                tuple((col.name, col.type) for col in g.columns),
                ((g.partition.column, "string"),),
                "gold_staging_root",
                g.name,
            )
        )
    return tables


STAGED_PREFIX = "staged_"


def ops_tables() -> list[TableDef]:
    """Tables the validation gate reads besides the layers: the jobs' counts, and each
    gold table's staged (not yet published) partitions keyed by run id. Readers are
    never granted the ops database."""
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


def find_table(database: str, name: str) -> TableDef:
    for table in table_definitions():
        if (table.database, table.name) == (database, name):
            return table
    raise KeyError(f"no catalog table {database}.{name} in the contracts")
