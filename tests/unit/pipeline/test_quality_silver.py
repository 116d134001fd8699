from pyspark.sql import functions as F

from lakehouse import silver
from lakehouse.contracts import layers, load
from lakehouse.contracts.catalog import bronze_columns, silver_columns
from lakehouse.quality import validate
from lakehouse.schemas import struct_of
from tests.support.frames import assert_frame_equal

ORDERS = load("orders")
KEY = "k" * 32
GOOD = {
    "op": "I",
    "order_id": "O000000001",
    "customer_id": "C000001",
    "status": "PLACED",
    "amount": "10.50",
    "currency": "EUR",
    "ordered_at": "2026-01-01T10:00:00Z",
    "updated_at": "2026-01-01T10:00:00Z",
}


def bronze_rows(spark, *records, ingest_date="2026-01-01"):
    lineage = {
        "_ingested_at": None,
        "_source_file": "f",
        "_run_id": "r1",
        "_is_malformed": False,
        "_malformed_reason": None,
        "_raw_record": "raw",
        "_extra_fields": None,
        "_missing_columns": None,
    }
    data = []
    for i, rec in enumerate(records):
        row = {
            **lineage,
            **rec,
            "_line_number": i + 1,
            "_record_hash": rec.get("_record_hash", f"h{i}"),
        }
        data.append(tuple(row.get(name) for name, _ in bronze_columns(ORDERS)) + (ingest_date,))
    schema = struct_of(
        [*bronze_columns(ORDERS), (layers()["bronze"]["partition"]["column"], "string")]
    )
    return spark.createDataFrame(data, schema)


def reasons_of(spark, *records):
    df = bronze_rows(spark, *records).transform(validate(ORDERS, "2026-01-01"))
    return [r._reasons for r in df.orderBy("_line_number").collect()]


def test_every_failed_rule_is_reported(spark):
    bad = {
        **GOOD,
        "status": "LOST",
        "amount": "abc",
        "currency": "XYZ",
        "updated_at": "2027-01-01T00:00:00Z",
    }
    assert reasons_of(spark, GOOD, bad) == [
        [],
        [
            "not_allowed:status",
            "invalid_type:amount",
            "not_allowed:currency",
            "in_future:updated_at",
        ],
    ]


def test_missing_required_range_format_and_malformed(spark):
    rows = [
        {**GOOD, "order_id": None},
        {**GOOD, "amount": "-1"},
        {**GOOD, "amount": "50000000"},
        {**GOOD, "order_id": "X1"},
        {**GOOD, "customer_id": "", "_is_malformed": True},
    ]
    assert reasons_of(spark, *rows) == [
        ["missing_required:order_id"],
        ["out_of_range:amount"],
        ["out_of_range:amount"],
        ["invalid_format:order_id"],
        ["malformed_record"],
    ]


def test_a_timestamp_one_day_ahead_is_clock_skew_not_future(spark):
    assert reasons_of(spark, {**GOOD, "updated_at": "2026-01-02T23:59:59Z"}) == [[]]
    assert reasons_of(spark, {**GOOD, "updated_at": "2026-01-03T00:00:00Z"}) == [
        ["in_future:updated_at"]
    ]


def events(spark, *records):
    validated = bronze_rows(spark, *records).transform(validate(ORDERS, "2026-01-01"))
    return validated.transform(silver.accepted_events(ORDERS, KEY))


def empty_state(spark):
    schema = struct_of([*silver_columns(ORDERS), ("order_date", "string")])
    return spark.createDataFrame([], schema)


def merged_statuses(spark, batch, live=None, tombstones=None):
    newest = batch.transform(silver.drop_duplicate_events(ORDERS)).transform(
        silver.newest_per_key(ORDERS)
    )
    live_out, dead_out = silver.merge(
        ORDERS, newest, live or empty_state(spark), tombstones or empty_state(spark)
    )
    return live_out, dead_out


def test_newest_event_wins_within_a_batch_and_duplicates_collapse(spark):
    placed = {**GOOD}
    paid = {
        **GOOD,
        "op": "U",
        "status": "PAID",
        "updated_at": "2026-01-01T11:00:00Z",
        "_record_hash": "p",
    }
    batch = events(spark, paid, placed, paid)  # out of order + the same event twice
    assert batch.transform(silver.drop_duplicate_events(ORDERS)).count() == 2
    live, dead = merged_statuses(spark, batch)
    assert [(r.order_id, r.status, r.order_date) for r in live.collect()] == [
        ("O000000001", "PAID", "2026-01-01")
    ]
    assert dead.count() == 0


def test_stale_replay_never_overwrites_newer_state(spark):
    newer = events(
        spark, {**GOOD, "op": "U", "status": "SHIPPED", "updated_at": "2026-01-01T12:00:00Z"}
    )
    live, _ = merged_statuses(spark, newer)
    stale = events(
        spark, {**GOOD, "op": "U", "status": "PAID", "updated_at": "2026-01-01T11:00:00Z"}
    )
    live2, _ = merged_statuses(spark, stale, live=live)
    assert_frame_equal(live2, live, order_by=["order_id"])


def test_delete_becomes_a_tombstone_that_older_events_cannot_resurrect(spark):
    live, _ = merged_statuses(spark, events(spark, GOOD))
    delete = events(
        spark, {**GOOD, "op": "D", "updated_at": "2026-01-01T13:00:00Z", "_record_hash": "d"}
    )
    live2, dead2 = merged_statuses(spark, delete, live=live)
    assert live2.count() == 0 and [r.order_id for r in dead2.collect()] == ["O000000001"]
    replay = events(
        spark, {**GOOD, "op": "U", "status": "PAID", "updated_at": "2026-01-01T11:00:00Z"}
    )
    live3, dead3 = merged_statuses(spark, replay, live=live2, tombstones=dead2)
    assert live3.count() == 0 and dead3.count() == 1


def test_pii_never_reaches_silver_events(spark):
    from lakehouse.contracts.catalog import silver_column_name

    customers = load("customers")
    assert silver_column_name(customers, "email") == "email_token"
    assert silver_column_name(customers, "phone") == "phone_masked"
    assert "email" not in [c for c, _ in silver_columns(customers)]


def test_quarantine_rows_keep_all_reasons_and_redact_pii(spark):
    raw = '{"op":"I","order_id":"O000000002","status":"LOST","note":"mail me at z@q.io"}'
    df = bronze_rows(
        spark, {**GOOD, "order_id": "O000000002", "status": "LOST", "_raw_record": raw}
    )
    q = df.transform(validate(ORDERS, "2026-01-01")).transform(
        silver.quarantine_rows(ORDERS, "r1", "2026-01-02T00:00:00")
    )
    row = q.first()
    assert (row.entity, row.business_key, row.reasons) == (
        "orders",
        "O000000002",
        ["not_allowed:status"],
    )
    assert "z@q.io" not in row.raw_record and "<redacted-email>" in row.raw_record
    assert q.columns == [c["name"] for c in layers()["quarantine"]["columns"]] + ["ingest_date"]
    assert q.where(F.col("quarantined_at").isNull()).count() == 0
