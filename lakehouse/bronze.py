"""Bronze: raw landing files -> Parquet rows, every source field kept as text, plus
lineage. A line that cannot be parsed is kept too, flagged, with its raw text."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from functools import reduce
from typing import Any

from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from lakehouse.contracts import Contract, CsvDialect, layers

CORRUPT = "_corrupt_record"
LINE = "_line_index"  # 0-based physical line in the file (the CSV header is line 0)
SOURCE_FILE = "_source_file"


class BronzeInputError(ValueError):
    """Raw input that cannot be ingested at all (not a line-level defect)."""


def is_blank(column: str = "value") -> Column:
    """An empty or whitespace-only line (spaces, tabs, a stray CR): not data, in the
    raw line count and in parsing alike. (Spark's trim removes spaces only.)"""
    return F.col(column).rlike(r"^\s*$")


def bronze_column_names(contract: Contract) -> list[str]:
    lineage = [c["name"] for c in layers()["bronze"]["lineage_columns"]]
    return [*contract.column_names, *lineage]


# Spark's DataSource.GLOB_PATHS_KEY: paths are read as written, not as Hadoop glob
# patterns, so a landing file named ``orders_[02].jsonl`` is that file, not a class.
LITERAL_PATHS = {"__globPaths__": "false"}
BOM = "\ufeff"


def read_text(spark: SparkSession, files: list[str]) -> DataFrame:
    """Physical lines of ``files`` as ``(_source_file string, value string,
    _position bigint)``, ``_position`` increasing within a file. ``_source_file`` is
    exactly the name given, never URL-encoded, for any legal S3 key (brackets, braces,
    ``*``, ``?``, ``:``, spaces, ``%``, non-ASCII): each file is read by its literal
    name (no glob) and labelled with it. A UTF-8 byte order mark is left as read
    (:func:`read_lines` removes it). ``files`` must not be empty."""
    parts = [
        spark.read.options(**LITERAL_PATHS)
        .text([name])
        .select(F.lit(name).alias(SOURCE_FILE), "value")
        for name in files
    ]
    lines = reduce(lambda a, b: a.unionByName(b), parts)
    return lines.withColumn("_position", F.monotonically_increasing_id())


def read_lines(spark: SparkSession, files: list[str]) -> DataFrame:
    """Lines of ``files`` with their file and 0-based position in it:
    ``(_source_file string, _line_index bigint, value string)``. A UTF-8 byte order
    mark at the start of a file is not part of its first line.

    Text is decoded as UTF-8; invalid bytes become U+FFFD, which silver rejects as
    ``invalid_encoding`` rather than losing the line.
    """
    schema = T.StructType(
        [
            T.StructField(SOURCE_FILE, T.StringType()),
            T.StructField(LINE, T.LongType()),
            T.StructField("value", T.StringType()),
        ]
    )
    if not files:
        return spark.createDataFrame([], schema)
    in_file_order = Window.partitionBy(SOURCE_FILE).orderBy("_position")
    numbered = read_text(spark, files).withColumn(LINE, F.row_number().over(in_file_order) - 1)
    value = F.when(F.col(LINE) == 0, F.regexp_replace("value", f"^{BOM}", "")).otherwise(
        F.col("value")
    )
    return numbered.select(SOURCE_FILE, LINE, value.alias("value"))


class _RawNumber(str):
    """A JSON number kept as its source text (never through a float)."""


def _json_text(value: Any) -> str | None:
    """One JSON value as bronze text: strings as they are, numbers as their source
    text, ``true``/``false``, null as None, arrays and objects as compact JSON."""
    if value is None:
        return None
    if isinstance(value, _RawNumber):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ",".join(_nested_text(v) for v in value) + "]"
    items = (json.dumps(k, ensure_ascii=False) + ":" + _nested_text(v) for k, v in value.items())
    return "{" + ",".join(items) + "}"


def _nested_text(value: Any) -> str:
    """A value inside an array or object, as JSON."""
    if value is None:
        return "null"
    if isinstance(value, str) and not isinstance(value, _RawNumber):
        return json.dumps(value, ensure_ascii=False)
    return str(_json_text(value))


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def parse_json_line(
    text: str, columns: tuple[str, ...]
) -> tuple[dict[str, str | None] | None, str | None]:
    """One JSONL line -> (fields, malformed reason). A line is exactly one JSON object
    (RFC 8259) and nothing else: two concatenated objects, trailing text, NaN or a
    duplicate key make it malformed, with the reason. Keys that equal a contract column
    ignoring case are stored under the column's name (two such keys are malformed);
    other keys keep their own name (they become ``_extra_fields``). Values keep their
    source text: numbers are never rewritten through a float."""
    try:
        value = json.loads(
            text,
            parse_float=_RawNumber,
            parse_int=_RawNumber,
            parse_constant=_no_constant,
            object_pairs_hook=_no_duplicate_keys,
        )
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return None, f"not exactly one JSON value: more text at column {exc.colno}"
        return None, f"not valid JSON: {exc.msg} at column {exc.colno}"
    except (ValueError, RecursionError) as exc:
        return None, f"not valid JSON: {exc}"
    if not isinstance(value, dict):
        return None, "not a JSON object"
    by_lower = {c.lower(): c for c in columns}
    fields: dict[str, str | None] = {}
    source_key: dict[str, str] = {}
    for key, item in value.items():
        name = by_lower.get(key.lower(), key)
        if name in source_key:
            return None, f"keys differ only in case: {source_key[name]!r}, {key!r}"
        source_key[name] = key
        fields[name] = _json_text(item)
    return fields, None


def _csv_reader_options(dialect: CsvDialect) -> dict[str, Any]:
    return {
        "delimiter": dialect.delimiter,
        "quotechar": dialect.quote_char,
        "doublequote": dialect.double_quote,
        "escapechar": dialect.escape_char,
        "strict": True,
    }


def parse_csv_line(text: str, dialect: CsvDialect) -> tuple[list[str] | None, str | None]:
    """One physical CSV line -> (fields, malformed reason), by the contract's dialect
    (default RFC 4180: ``""`` inside a quoted field is one quote). Text the dialect does
    not allow (a quote that is neither doubled nor escaped, a quoted field left open at
    the end of the line) is malformed with the parser's reason, never guessed at."""
    try:
        rows = list(csv.reader([text], **_csv_reader_options(dialect)))
    except csv.Error as exc:
        if "end of data" in str(exc) or "new-line" in str(exc):
            return (
                None,
                "quoted field not closed on its line (line breaks in quoted fields are not joined)",
            )
        return None, f"not valid CSV for the contract's dialect: {exc}"
    if len(rows) != 1:
        return None, "not one CSV record"
    return rows[0], None


_PARSED = T.StructType(
    [
        T.StructField("fields", T.ArrayType(T.StringType())),
        T.StructField("reason", T.StringType()),
    ]
)
_PARSED_JSON = T.StructType(
    [
        T.StructField("fields", T.MapType(T.StringType(), T.StringType())),
        T.StructField("reason", T.StringType()),
    ]
)


def csv_header(header: str, dialect: CsvDialect) -> list[str]:
    """A header line's column names by the dialect, stripped of surrounding spaces."""
    fields, _ = parse_csv_line(header, dialect)
    return [f.strip() for f in (fields or next(csv.reader([header])))]


def parse_csv(contract: Contract, header: str) -> Callable[[DataFrame], DataFrame]:
    """Parse the data lines of files sharing one ``header`` into contract columns.

    Header names match contract columns ignoring case (Glue and Athena column names are
    case-insensitive); a header with two names equal ignoring case marks every line of
    its files malformed, since which one is meant cannot be known."""
    dialect = contract.csv
    file_columns = csv_header(header, dialect)
    by_lower = {c.lower(): c for c in contract.column_names}
    as_contract = [by_lower.get(c.lower(), c) for c in file_columns]
    duplicates = sorted(
        {c for c in file_columns if [x.lower() for x in file_columns].count(c.lower()) > 1}
    )
    position = {c: i for i, c in enumerate(as_contract)}
    contract_columns = contract.column_names
    extras = [(c, i) for i, c in enumerate(file_columns) if as_contract[i] not in contract_columns]
    missing = [c for c in contract_columns if c not in position]
    header_reason = None
    if duplicates:
        header_reason = f"header names differ only in case: {', '.join(duplicates)}"
    elif not any(k in position for k in contract.business_key):
        header_reason = "header has none of the business key columns"

    @F.udf(_PARSED)
    def parse(text: str) -> tuple[list[str] | None, str | None]:
        return parse_csv_line(text, dialect)

    def transform(lines: DataFrame) -> DataFrame:
        parsed = lines.where((F.col(LINE) > 0) & ~is_blank()).withColumn("_parsed", parse("value"))
        fields = F.col("_parsed.fields")
        wrong_field_count = F.size(fields) != len(file_columns)
        reason = (
            F.when(F.lit(header_reason is not None), F.lit(header_reason))
            .when(F.col("_parsed.reason").isNotNull(), F.col("_parsed.reason"))
            .when(wrong_field_count, F.lit(f"expected {len(file_columns)} fields as in the header"))
        )

        def field(i: int) -> Column:  # NULL past the last field of a short line
            return fields.getItem(i)

        values = [
            (field(position[c]) if c in position else F.lit(None).cast("string")).alias(c)
            for c in contract_columns
        ]
        extra_json = (
            F.to_json(F.struct(*[field(i).alias(n) for n, i in extras]))
            if extras
            else F.lit(None).cast("string")
        )
        return parsed.select(
            *values,
            SOURCE_FILE,
            LINE,
            F.col("value").alias("_raw_record"),
            reason.alias("_malformed_reason"),
            extra_json.alias("_extra_fields"),
            F.lit(",".join(missing) or None).cast("string").alias("_missing_columns"),
        )

    return transform


def parse_jsonl(contract: Contract) -> Callable[[DataFrame], DataFrame]:
    """Parse JSON lines (:func:`parse_json_line`); unknown keys go to
    ``_extra_fields``, absent ones are listed in ``_missing_columns``."""
    names = tuple(contract.column_names)

    @F.udf(_PARSED_JSON)
    def parse(text: str) -> tuple[dict[str, str | None] | None, str | None]:
        return parse_json_line(text, names)

    def transform(lines: DataFrame) -> DataFrame:
        parsed = lines.where(~is_blank()).withColumn("_parsed", parse("value"))
        fields = F.col("_parsed.fields")
        extras = F.map_filter(fields, lambda k, _: ~k.isin(*names))
        missing = F.filter(
            F.array(*[F.lit(n) for n in names]),
            lambda n: ~F.array_contains(F.map_keys(fields), n),
        )
        return parsed.select(
            *[F.element_at(fields, n).alias(n) for n in names],
            SOURCE_FILE,
            LINE,
            F.col("value").alias("_raw_record"),
            F.col("_parsed.reason").alias("_malformed_reason"),
            F.when(F.size(extras) > 0, F.to_json(extras)).alias("_extra_fields"),
            F.when(fields.isNull(), F.lit(None))
            .otherwise(F.nullif(F.array_join(missing, ","), F.lit("")))
            .alias("_missing_columns"),
        )

    return transform


def add_lineage(
    contract: Contract, run_id: str, ingested_at: str, ingest_date: str
) -> Callable[[DataFrame], DataFrame]:
    def transform(parsed: DataFrame) -> DataFrame:
        return parsed.select(
            *contract.column_names,
            F.lit(ingested_at).cast("timestamp").alias("_ingested_at"),
            F.col(SOURCE_FILE).alias("_source_file"),
            # JSON lines count from 1; CSV data lines too (the header is line 0)
            (F.col(LINE) + (0 if contract.format == "csv" else 1))
            .cast("bigint")
            .alias("_line_number"),
            F.lit(run_id).alias("_run_id"),
            F.sha2(F.col("_raw_record"), 256).alias("_record_hash"),
            F.col("_malformed_reason").isNotNull().alias("_is_malformed"),
            "_malformed_reason",
            "_raw_record",
            "_extra_fields",
            "_missing_columns",
            F.lit(ingest_date).alias(layers()["bronze"]["partition"]["column"]),
        )

    return transform


def ingest(
    spark: SparkSession,
    contract: Contract,
    files: list[str],
    *,
    run_id: str,
    ingested_at: str,
    ingest_date: str,
) -> DataFrame:
    """All rows of one entity's landing files for one ingest date, as bronze."""
    lines = read_lines(spark, files)
    if contract.format == "jsonl":
        parsed = lines.transform(parse_jsonl(contract))
    elif contract.format == "csv":
        # A file's header is its first non-blank line (blank lines before it are not
        # data); a file of only blank lines (or none) has neither header nor data.
        header_at = (
            lines.where(~is_blank()).groupBy(SOURCE_FILE).agg(F.min(LINE).alias("_header_line"))
        )
        located = lines.join(header_at, on=SOURCE_FILE, how="inner")
        header_rows = located.where(F.col(LINE) == F.col("_header_line"))
        data_lines = located.where(F.col(LINE) > F.col("_header_line")).drop("_header_line")
        headers = {r.value for r in header_rows.select("value").distinct().collect()}
        parts = []
        for header in sorted(headers):
            files_with_header = header_rows.where(F.col("value") == header).select(SOURCE_FILE)
            group = data_lines.join(files_with_header, on=SOURCE_FILE, how="left_semi")
            parts.append(group.transform(parse_csv(contract, header)))
        parsed = (
            parts[0]
            if parts
            else lines.where(F.lit(False)).transform(
                parse_csv(contract, contract.csv.delimiter.join(contract.column_names))
            )
        )
        for more in parts[1:]:
            parsed = parsed.unionByName(more)
    else:
        raise BronzeInputError(f"{contract.name}: unsupported raw format {contract.format!r}")
    return parsed.transform(add_lineage(contract, run_id, ingested_at, ingest_date))
