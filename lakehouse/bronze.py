"""Bronze: raw landing files -> Parquet rows, every source field kept as text, plus
lineage. A line that cannot be parsed is kept too, flagged, with its raw text."""

from __future__ import annotations

import csv
from collections.abc import Callable

from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from lakehouse.contracts import Contract, layers

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


def read_lines(spark: SparkSession, files: list[str]) -> DataFrame:
    """Lines of ``files`` with their file and 0-based position in it.

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
    return (
        spark.read.text(files)
        .withColumn(SOURCE_FILE, F.input_file_name())
        .withColumn("_position", F.monotonically_increasing_id())
        .withColumn(LINE, F.row_number().over(in_file_order) - 1)
        .select(SOURCE_FILE, LINE, "value")
    )


def _ddl(names: list[str]) -> str:
    fields = [f"`{n.replace('`', '')}` STRING" for n in names]
    return ", ".join([*fields, f"`{CORRUPT}` STRING"])


def _extra_fields_json(parsed: str, extras: list[str]) -> Column:
    if not extras:
        return F.lit(None).cast("string")
    return F.to_json(F.struct(*[F.col(f"{parsed}.`{e}`").alias(e) for e in extras]))


def parse_csv(contract: Contract, header: str) -> Callable[[DataFrame], DataFrame]:
    """Parse the data lines of files sharing one ``header`` into contract columns."""
    file_columns = next(csv.reader([header]))
    contract_columns = contract.column_names
    extras = [c for c in file_columns if c not in contract_columns]
    missing = [c for c in contract_columns if c not in file_columns]
    header_matches = any(k in file_columns for k in contract.business_key)

    def transform(lines: DataFrame) -> DataFrame:
        parsed = lines.where((F.col(LINE) > 0) & ~is_blank()).withColumn(
            "_parsed",
            F.from_csv(
                "value",
                _ddl(file_columns),
                {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT},
            ),
        )
        wrong_field_count = F.col(f"_parsed.{CORRUPT}").isNotNull()
        reason = F.when(
            F.lit(not header_matches), F.lit("header has none of the business key columns")
        ).when(wrong_field_count, F.lit(f"expected {len(file_columns)} fields as in the header"))
        values = [
            (F.col(f"_parsed.`{c}`") if c in file_columns else F.lit(None).cast("string")).alias(c)
            for c in contract_columns
        ]
        return parsed.select(
            *values,
            SOURCE_FILE,
            LINE,
            F.col("value").alias("_raw_record"),
            reason.alias("_malformed_reason"),
            _extra_fields_json("_parsed", extras).alias("_extra_fields"),
            F.lit(",".join(missing) or None).cast("string").alias("_missing_columns"),
        )

    return transform


def parse_jsonl(contract: Contract) -> Callable[[DataFrame], DataFrame]:
    """Parse JSON lines; unknown keys go to ``_extra_fields``, absent ones are listed."""
    names = contract.column_names
    schema = T.StructType(
        [T.StructField(n, T.StringType()) for n in names] + [T.StructField(CORRUPT, T.StringType())]
    )

    def transform(lines: DataFrame) -> DataFrame:
        parsed = lines.where(~is_blank()).select(
            "*",
            F.from_json("value", schema, {"columnNameOfCorruptRecord": CORRUPT}).alias("_parsed"),
            F.from_json("value", "map<string,string>").alias("_fields"),
        )
        not_an_object = F.col("_fields").isNull()
        reason = F.when(
            F.col(f"_parsed.{CORRUPT}").isNotNull() | not_an_object, F.lit("not a JSON object")
        )
        extras = F.map_filter("_fields", lambda k, _: ~k.isin(*names))
        missing = F.filter(
            F.array(*[F.lit(n) for n in names]),
            lambda n: ~F.array_contains(F.map_keys("_fields"), n),
        )
        return parsed.select(
            *[F.col(f"_parsed.{n}").alias(n) for n in names],
            SOURCE_FILE,
            LINE,
            F.col("value").alias("_raw_record"),
            reason.alias("_malformed_reason"),
            F.when(F.size(extras) > 0, F.to_json(extras)).alias("_extra_fields"),
            F.when(not_an_object, F.lit(None))
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
                parse_csv(contract, ",".join(contract.column_names))
            )
        )
        for more in parts[1:]:
            parsed = parsed.unionByName(more)
    else:
        raise BronzeInputError(f"{contract.name}: unsupported raw format {contract.format!r}")
    return parsed.transform(add_lineage(contract, run_id, ingested_at, ingest_date))
