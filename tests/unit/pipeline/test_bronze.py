import json

from pyspark.sql import functions as F

from lakehouse import bronze
from lakehouse.contracts import load


def _write(tmp_path, name, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return path.as_uri()


def _ingest(spark, entity, files):
    return bronze.ingest(
        spark,
        load(entity),
        files,
        run_id="r1",
        ingested_at="2026-01-02T00:00:00",
        ingest_date="2026-01-01",
    )


def test_csv_keeps_every_line_and_flags_malformed(spark, tmp_path):
    header = b"op,customer_id,email,phone,country,segment,created_at,updated_at\n"
    good = b"I,C000001,a@x.io,+1 555,US,consumer,2026-01-01T09:00:00Z,2026-01-01T09:00:00Z\n"
    short = b"I,C000002,b@x.io\n"
    f = _write(tmp_path, "c.csv", header + good + short + b"\n")
    out = _ingest(spark, "customers", [f]).orderBy("_line_number")
    got = [
        (r._line_number, r.customer_id, r._is_malformed, r._malformed_reason) for r in out.collect()
    ]
    assert got == [
        (1, "C000001", False, None),
        (2, "C000002", True, "expected 8 fields as in the header"),
    ]
    assert out.first()._raw_record == good.decode().rstrip("\n")
    assert out.columns == [*bronze.bronze_column_names(load("customers")), "ingest_date"]


def test_csv_extra_and_missing_columns_are_recorded_not_lost(spark, tmp_path):
    header = b"op,customer_id,email,country,segment,created_at,updated_at,loyalty_tier\n"
    line = b"I,C000001,a@x.io,US,consumer,2026-01-01T09:00:00Z,2026-01-01T09:00:00Z,gold\n"
    row = _ingest(spark, "customers", [_write(tmp_path, "c.csv", header + line)]).first()
    assert row.phone is None and row._missing_columns == "phone"
    assert json.loads(row._extra_fields) == {"loyalty_tier": "gold"}
    assert row.segment == "consumer" and not row._is_malformed


def test_non_utf8_bytes_survive_as_replacement_characters(spark, tmp_path):
    header = b"op,customer_id,email,phone,country,segment,created_at,updated_at\n"
    line = b"I,C000001,b\xe9b@x.io,,US,consumer,2026-01-01T09:00:00Z,2026-01-01T09:00:00Z\n"
    row = _ingest(spark, "customers", [_write(tmp_path, "c.csv", header + line)]).first()
    assert row.email == "b\ufffdb@x.io" and not row._is_malformed


def test_jsonl_malformed_extra_and_missing_keys(spark, tmp_path):
    lines = [
        b'{"op":"I","order_id":"O000000001","customer_id":"C000001","status":"PLACED","amount":1.5,"currency":"EUR","ordered_at":"2026-01-01T10:00:00Z","updated_at":"2026-01-01T10:00:00Z","coupon":"X"}',
        b'{"op":"I","order_id":"O00000',
        b'{"op":"I","customer_id":"C000001"}',
        b"[1,2]",
    ]
    out = _ingest(
        spark, "orders", [_write(tmp_path, "o.jsonl", b"\n".join(lines) + b"\n")]
    ).orderBy("_line_number")
    got = [
        (r._line_number, r.order_id, r.amount, r._is_malformed, r._extra_fields, r._missing_columns)
        for r in out.collect()
    ]
    assert got == [
        (1, "O000000001", "1.5", False, '{"coupon":"X"}', None),
        (2, None, None, True, None, None),
        (3, None, None, False, None, "order_id,status,amount,currency,ordered_at,updated_at"),
        (4, None, None, True, None, None),
    ]


def test_empty_files_and_no_files_give_zero_rows(spark, tmp_path):
    empty_csv = _write(
        tmp_path, "e.csv", b"op,customer_id,email,phone,country,segment,created_at,updated_at\n"
    )
    empty_jsonl = _write(tmp_path, "e.jsonl", b"")
    assert _ingest(spark, "customers", [empty_csv]).count() == 0
    assert _ingest(spark, "orders", [empty_jsonl]).count() == 0
    assert _ingest(spark, "orders", []).count() == 0


def test_identical_lines_in_two_files_share_a_record_hash(spark, tmp_path):
    line = b'{"op":"I","order_id":"O000000001"}\n'
    out = _ingest(
        spark, "orders", [_write(tmp_path, "a.jsonl", line), _write(tmp_path, "b.jsonl", line)]
    )
    assert out.select("_record_hash").distinct().count() == 1
    assert out.select(F.countDistinct("_source_file")).first()[0] == 2


def test_empty_and_blank_files_count_no_data_lines_and_match_bronze(spark, tmp_path):
    """A 0-byte file, a file of only whitespace lines, and blank lines before a header:
    no data lines, no header subtracted that is not there, so raw lines = bronze rows
    and a clean day is not blocked by the raw -> bronze reconciliation
    (../shared/real-world-inputs/04-zero-byte-csv)."""
    from lakehouse.steps import _raw_line_counts

    header = b"op,customer_id,email,phone,country,segment,created_at,updated_at\n"
    good = b"I,C000001,a@x.io,+1 555,US,consumer,2026-01-01T09:00:00Z,2026-01-01T09:00:00Z\n"
    files = [
        _write(tmp_path, "empty.csv", b""),
        _write(tmp_path, "blank.csv", b"\n   \n\t\n"),
        _write(tmp_path, "late-header.csv", b"\n  \n" + header + good + b"\n"),
        _write(tmp_path, "normal.csv", header + good),
    ]
    rows = _ingest(spark, "customers", files)
    assert rows.count() == 2
    assert rows.where("_is_malformed").count() == 0
    late = rows.where(F.col("_source_file").endswith("late-header.csv")).first()
    assert (late.customer_id, late._line_number) == ("C000001", 3)  # physical line, 0-based header
    counts = _raw_line_counts(spark, files, csv=True)
    assert counts == {"raw_data_lines": 2, "blank_lines_skipped": 6}
    jsonl = [_write(tmp_path, "e.jsonl", b""), _write(tmp_path, "b.jsonl", b" \n\n")]
    assert _raw_line_counts(spark, jsonl, csv=False)["raw_data_lines"] == 0
