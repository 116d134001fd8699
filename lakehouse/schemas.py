"""Spark schemas from the contracts' (name, Glue type) pairs."""

from __future__ import annotations

import re

from pyspark.sql import types as T

SIMPLE_TYPES: dict[str, T.DataType] = {
    "string": T.StringType(),
    "bigint": T.LongType(),
    "int": T.IntegerType(),
    "double": T.DoubleType(),
    "boolean": T.BooleanType(),
    "date": T.DateType(),
    "timestamp": T.TimestampType(),
}
DECIMAL = re.compile(r"^decimal\((\d+),\s*(\d+)\)$")
ARRAY = re.compile(r"^array<(.+)>$")


class UnknownTypeError(ValueError):
    """A contract uses a type this project does not map to Spark."""


def spark_type(glue_type: str) -> T.DataType:
    glue_type = glue_type.strip().lower()
    if glue_type in SIMPLE_TYPES:
        return SIMPLE_TYPES[glue_type]
    if match := DECIMAL.match(glue_type):
        return T.DecimalType(int(match[1]), int(match[2]))
    if match := ARRAY.match(glue_type):
        return T.ArrayType(spark_type(match[1]))
    raise UnknownTypeError(
        f"no Spark type for Glue type {glue_type!r}; known: {sorted(SIMPLE_TYPES)}, decimal(p,s), array<...>"
    )


def struct_of(columns: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> T.StructType:
    """Glue/Hive type names -> a Spark StructType (all fields nullable)."""
    return T.StructType([T.StructField(name, spark_type(glue_type)) for name, glue_type in columns])
