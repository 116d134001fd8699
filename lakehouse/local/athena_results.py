"""Query results the way Athena hands them out.

GetQueryResults gives every value as text (``{"VarCharValue": "..."}``, NULL as ``{}``),
a header row of column labels first, and ColumnInfo with Athena's type names. The
result file is Athena's CSV: every value double-quoted, NULL an empty unquoted field.
Pages are cut from that file, as Athena does, so a result outlives the process.
"""

from __future__ import annotations

import base64
import json
import math
import os
import struct
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

# DuckDB type -> (Athena type, Precision, Scale); Precision values as Athena reports them.
# HUGEINT is DuckDB's sum/count_if of BIGINT, which is bigint in Trino.
SIMPLE_TYPES = {
    "VARCHAR": ("varchar", 2147483647, 0),
    "BIGINT": ("bigint", 19, 0),
    "HUGEINT": ("bigint", 19, 0),
    "INTEGER": ("integer", 10, 0),
    "SMALLINT": ("smallint", 5, 0),
    "TINYINT": ("tinyint", 3, 0),
    "DOUBLE": ("double", 17, 0),
    "FLOAT": ("real", 7, 0),
    "BOOLEAN": ("boolean", 0, 0),
    "DATE": ("date", 0, 0),
    "TIMESTAMP": ("timestamp", 3, 0),
    "TIMESTAMP_S": ("timestamp", 3, 0),  # DuckDB's type of a literal without fraction
    "TIMESTAMP_MS": ("timestamp", 3, 0),
    "TIMESTAMP WITH TIME ZONE": ("timestamp with time zone", 3, 0),
    "TIME": ("time", 3, 0),
    "BLOB": ("varbinary", 2147483647, 0),
    "UUID": ("uuid", 0, 0),
    '"NULL"': ("unknown", 0, 0),  # a bare NULL literal
}
NESTED_TYPES = {"list": "array", "map": "map", "struct": "row"}


def column_info(name: str, duckdb_type: duckdb.DuckDBPyType, is_date: bool = False) -> dict:
    """One ResultSetMetadata.ColumnInfo entry; ``is_date`` for DATE-typed Trino outputs
    that DuckDB computed as TIMESTAMP (date arithmetic)."""
    if is_date:
        athena_type, precision, scale = SIMPLE_TYPES["DATE"]
    elif duckdb_type.id == "decimal":
        athena_type, (precision, scale) = "decimal", (v for _, v in duckdb_type.children)
    elif duckdb_type.id in NESTED_TYPES:
        athena_type, precision, scale = NESTED_TYPES[duckdb_type.id], 0, 0
    else:
        fallback = (str(duckdb_type).lower(), 0, 0)
        athena_type, precision, scale = SIMPLE_TYPES.get(str(duckdb_type), fallback)
    return {
        "CatalogName": "hive",
        "SchemaName": "",
        "TableName": "",
        "Name": name,
        "Label": name,
        "Type": athena_type,
        "Precision": precision,
        "Scale": scale,
        "Nullable": "UNKNOWN",
        "CaseSensitive": athena_type == "varchar",
    }


def _java_double(value: float) -> str:
    """Trino prints doubles with Java's Double.toString: 2.5, 1.0E7, 1.0E-4."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if "." in text else f"{text}.0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) + int(exponent) - 1
    return f"{'-' if sign else ''}{text[0]}.{text[1:] or '0'}E{power}"


def _java_float(value: float) -> str:
    """REAL: the shortest decimal that is the same 32-bit float, printed like a double."""
    if math.isnan(value) or math.isinf(value):
        return _java_double(value)
    packed = struct.pack("f", value)
    for digits in range(1, 10):
        shortest = float(f"{value:.{digits}g}")
        if struct.pack("f", shortest) == packed:
            return _java_double(shortest)
    return _java_double(value)


def _timestamp(value: datetime) -> str:
    text = value.strftime("%Y-%m-%d %H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    return f"{text} UTC" if value.tzinfo else text


def _nested(value: Any) -> str:
    return "null" if value is None else format_value(value, "")


def format_value(value: Any, athena_type: str) -> str | None:
    """The VarCharValue Athena gives for a value of ``athena_type``; None for NULL."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if athena_type == "date" else _timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    if isinstance(value, float):
        return _java_float(value) if athena_type == "real" else _java_double(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    if isinstance(value, dict):  # map and row both print as {key=value, ...}
        return "{" + ", ".join(f"{_nested(k)}={_nested(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bytes):
        return " ".join(f"{b:02x}" for b in value)
    return str(value)


def _quote(value: str | None) -> str:
    return "" if value is None else '"' + value.replace('"', '""') + '"'


def write_result_files(csv_path: Path, rows: list[list[str | None]], columns: list[dict]) -> None:
    """``<id>.csv`` (header + rows) and ``<id>.csv.metadata``, each written atomically."""
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(",".join(_quote(v) for v in row) + "\n" for row in rows)
    metadata = json.dumps({"ColumnInfo": columns}, indent=2)
    for path, content in ((csv_path, text), (csv_path.with_suffix(".csv.metadata"), metadata)):
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(content, encoding="utf-8")
        os.replace(partial, path)


def _quoted_field(text: str, start: int) -> tuple[str, int]:
    parts, position = [], start + 1
    while True:
        end = text.index('"', position)
        if text.startswith('""', end):
            parts.append(text[position : end + 1])
            position = end + 2
        else:
            parts.append(text[position:end])
            return "".join(parts), end + 1


def read_result_rows(csv_path: Path) -> list[list[str | None]]:
    """Rows of an Athena CSV; an unquoted empty field is NULL, ``""`` the empty string."""
    text = csv_path.read_text(encoding="utf-8")
    rows: list[list[str | None]] = []
    row: list[str | None] = []
    position = 0
    while position < len(text):
        if text[position] == '"':
            value, position = _quoted_field(text, position)
            row.append(value)
        else:
            row.append(None)
        if position >= len(text) or text[position] == "\n":
            rows.append(row)
            row = []
        position += 1  # past the ',' or the newline
    return rows


def read_column_info(csv_path: Path) -> list[dict]:
    metadata = csv_path.with_suffix(".csv.metadata").read_text(encoding="utf-8")
    return json.loads(metadata)["ColumnInfo"]


def encode_token(execution_id: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{execution_id}:{offset}".encode()).decode()


def decode_token(token: str, execution_id: str) -> int:
    """The row offset a NextToken stands for; ValueError when it is not one of ours."""
    owner, _, offset = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
    if owner != execution_id:
        raise ValueError("token belongs to another query execution")
    return int(offset)


def results_page(
    execution_id: str, rows: list[list[str | None]], columns: list[dict], offset: int, size: int
) -> dict:
    """A GetQueryResults response; ``rows[0]`` is the header, so only page one carries it."""
    page = rows[offset : offset + size]
    data = [{"Data": [{} if v is None else {"VarCharValue": v} for v in row]} for row in page]
    response: dict = {
        "UpdateCount": 0,
        "ResultSet": {"Rows": data, "ResultSetMetadata": {"ColumnInfo": columns}},
    }
    if offset + size < len(rows):
        response["NextToken"] = encode_token(execution_id, offset + size)
    return response
