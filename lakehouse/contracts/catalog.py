"""Glue catalog table definitions derived from the contracts.

Terraform derives the same tables in HCL (terraform/modules/catalog) and a contract
test compares the two, so this module is the reference for what a layer's table
looks like. The local catalog is bootstrapped from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lakehouse.contracts import Contract, gold, layers, sources

LAYER_DATABASES = ("bronze", "silver", "gold", "quarantine", "ops")


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
