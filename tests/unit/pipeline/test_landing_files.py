"""Landing files shaped like the ones data teams report (../shared/real-world-inputs/,
rebuilt here as small files): each test asserts the value bronze and silver keep, the
reason a line is quarantined, and what quarantine shows. Rules: docs/adr/0008."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from pyspark.sql import functions as F

from lakehouse import bronze, silver
from lakehouse.contracts import CsvDialect, load
from lakehouse.contracts.catalog import silver_columns
from lakehouse.quality import REASONS, validate
from lakehouse.schemas import struct_of

ORDERS, CUSTOMERS, FX = load("orders"), load("customers"), load("fx_rates")
CUSTOMER_HEADER = "op,customer_id,email,phone,country,segment,created_at,updated_at"
KEY = "k" * 32


def order(order_id="O900000001", **overrides) -> str:
    fields = {
        "op": "I",
        "order_id": order_id,
        "customer_id": "C000003",
        "status": "PLACED",
        "amount": 25.5,
        "currency": "EUR",
        "ordered_at": "2026-01-02T10:00:00Z",
        "updated_at": "2026-01-02T10:00:00Z",
        **overrides,
    }
    return json.dumps(fields, separators=(",", ":"))


def customer(customer_id="C900001", **overrides) -> str:
    fields = {
        "op": "I",
        "customer_id": customer_id,
        "email": "ana.lima@mail.example",
        "phone": "+44 7700 900123",
        "country": "GB",
        "segment": "consumer",
        "created_at": "2025-06-01T08:00:00Z",
        "updated_at": "2026-01-02T09:00:00Z",
        **overrides,
    }
    return ",".join(fields.values())


def write(tmp_path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path.as_uri()


def ingest(spark, contract, files, ingest_date="2026-01-02"):
    return bronze.ingest(
        spark,
        contract,
        files,
        run_id="r1",
        ingested_at="2026-01-02T12:00:00",
        ingest_date=ingest_date,
    )


def by_line(df, *columns):
    return [tuple(r) for r in df.orderBy("_source_file", "_line_number").select(*columns).collect()]


def reasons(spark, contract, files):
    validated = ingest(spark, contract, files).transform(validate(contract, "2026-01-02"))
    return by_line(validated, "_line_number", REASONS)


# -- a line that is not exactly one JSON value ------------------------------------------


def test_a_line_holding_more_or_less_than_one_json_object_is_malformed_with_its_text(
    spark, tmp_path
):
    """Two concatenated objects, an object with trailing text, NaN, a duplicate key:
    each is one malformed row keeping the raw line (nothing silently dropped), and
    the following good line is unaffected. RFC 8259 section 2: a JSON text is one
    value (https://www.rfc-editor.org/rfc/rfc8259#section-2)."""
    lines = [
        order("O900000001") + order("O900000002"),
        order("O900000003") + " trailing-text",
        order("O900000004", amount="NaN").replace('"NaN"', "NaN"),
        order("O900000005").replace('"op":"I"', '"op":"I","op":"D"'),
        order("O900000006"),
    ]
    f = write(tmp_path, "o.jsonl", "\n".join(lines) + "\n")
    rows = by_line(ingest(spark, ORDERS, [f]), "_line_number", "_is_malformed", "_malformed_reason")
    assert rows == [
        (1, True, f"not exactly one JSON value: more text at column {len(order()) + 1}"),
        (2, True, f"not exactly one JSON value: more text at column {len(order()) + 2}"),
        (3, True, "not valid JSON: NaN is not a JSON value"),
        (4, True, "not valid JSON: duplicate key 'op'"),
        (5, False, None),
    ]
    raw = by_line(ingest(spark, ORDERS, [f]), "_raw_record")
    assert [r[0] for r in raw] == lines


def test_json_numbers_keep_their_source_text_in_bronze(spark, tmp_path):
    """Bronze keeps the source text exactly: Spark's JSON reader rewrites a number
    given to a string field through a double (1.10 -> 1.1, 22 significant digits ->
    0.1), so bronze parses with Python's json, numbers kept as written."""
    line = order(amount="__A__", coupon="__C__")
    line = line.replace('"__A__"', "1.10").replace(
        '"__C__"', '{"rate":0.1000000000000000000001,"ids":[12345678901234567890123,1e3],"ok":true}'
    )
    row = ingest(spark, ORDERS, [write(tmp_path, "o.jsonl", line)]).first()
    assert row.amount == "1.10"
    assert row._extra_fields == json.dumps(
        {
            "coupon": '{"rate":0.1000000000000000000001,"ids":[12345678901234567890123,1e3],"ok":true}'
        },
        separators=(",", ":"),
    )


def test_keys_that_differ_from_the_contract_only_in_case_are_its_columns(spark, tmp_path):
    """Glue and Athena column names are case-insensitive; a key written ``Order_ID``
    is the contract's ``order_id``. Two keys equal ignoring case are ambiguous:
    malformed."""
    upper = order().replace('"order_id"', '"Order_ID"').replace('"amount"', '"AMOUNT"')
    both = order().replace('"op":"I"', '"op":"I","OP":"U"')
    f = write(tmp_path, "o.jsonl", upper + "\n" + both + "\n")
    rows = by_line(
        ingest(spark, ORDERS, [f]), "order_id", "amount", "_missing_columns", "_malformed_reason"
    )
    assert rows == [
        ("O900000001", "25.5", None, None),
        (None, None, None, "keys differ only in case: 'op', 'OP'"),
    ]


# -- the CSV dialect -------------------------------------------------------------------


def test_rfc4180_doubled_quote_is_one_quote_and_a_backslash_escape_is_not_guessed(spark, tmp_path):
    """RFC 4180 section 2.7: a quote inside a quoted field is written twice
    (https://www.rfc-editor.org/rfc/rfc4180#section-2). The default dialect reads
    ``""ana.lima""`` as ``"ana.lima"``; a backslash-escaped field is not valid RFC 4180
    and is malformed, not mangled. A contract that declares the backslash dialect
    reads that line and keeps doubled quotes as two."""
    doubled = customer("C900011", email='"""ana.lima""@mail.example"')
    backslash = customer("C900012", email='"\\"ana.lima\\"@mail.example"')
    f = write(tmp_path, "c.csv", "\n".join([CUSTOMER_HEADER, doubled, backslash]) + "\n")
    rows = by_line(ingest(spark, CUSTOMERS, [f]), "customer_id", "email", "_malformed_reason")
    assert rows == [
        ("C900011", '"ana.lima"@mail.example', None),
        (
            None,
            None,
            "not valid CSV for the contract's dialect: ',' expected after '\"'",
        ),
    ]
    backslash_dialect = dataclasses.replace(
        CUSTOMERS, csv=CsvDialect(escape_char="\\", double_quote=False)
    )
    rows = by_line(ingest(spark, backslash_dialect, [f]), "customer_id", "email")
    assert rows[1] == ("C900012", '"ana.lima"@mail.example')


def test_a_quoted_line_break_is_flagged_and_quarantine_keeps_no_pii_of_either_half(spark, tmp_path):
    """A quoted field spanning two physical lines: both lines are malformed (line
    accounting stays per physical line), and neither quarantine row shows the e-mail
    or any phone digit, whatever shape the halves have."""
    first = customer("C900121", phone='"+44 7700')
    second = '900121",GB,consumer,2025-06-01T08:00:00Z,2026-01-02T09:00:00Z'
    good = customer("C900122")
    f = write(tmp_path, "c.csv", "\n".join([CUSTOMER_HEADER, first, second, good]) + "\n")
    validated = ingest(spark, CUSTOMERS, [f]).transform(validate(CUSTOMERS, "2026-01-02"))
    quarantined = validated.transform(
        silver.quarantine_rows(CUSTOMERS, "r1", "2026-01-02T12:00:00")
    )
    rows = by_line(quarantined, "_line_number", "reasons", "raw_record")
    assert rows == [
        (
            1,
            ["malformed_record"],
            'X,X999999,xxx.xxxx@xxxx.xxxxxxx,"+99 9999,XX,xxxxxxxx,9999-99-99X99:99:99X,'
            "9999-99-99X99:99:99X",
        ),
        (2, ["malformed_record"], '999999",XX,xxxxxxxx,9999-99-99X99:99:99X,9999-99-99X99:99:99X'),
    ]
    malformed = by_line(validated.where("_is_malformed"), "_malformed_reason")
    assert malformed == [
        ("quoted field not closed on its line (line breaks in quoted fields are not joined)",),
        ("expected 8 fields as in the header",),
    ]
    assert validated.where(F.size(REASONS) == 0).count() == 1


def test_a_header_differing_from_the_contract_only_in_case_maps_to_its_columns(spark, tmp_path):
    """Header names match contract columns ignoring case (and surrounding spaces, and
    a UTF-8 byte order mark); a header with two names equal ignoring case makes its
    lines malformed rather than picking one."""
    header = "OP, Customer_ID ,Email,PHONE,country,Segment,created_at,UPDATED_AT"
    mapped = write(tmp_path, "a.csv", "\ufeff" + header + "\n" + customer() + "\n")
    clash = write(tmp_path, "b.csv", header + ",email\n" + customer() + ",x@y.z\n")
    rows = by_line(
        ingest(spark, CUSTOMERS, [mapped, clash]),
        "customer_id",
        "updated_at",
        "_missing_columns",
        "_malformed_reason",
    )
    assert rows == [
        ("C900001", "2026-01-02T09:00:00Z", None, None),
        ("C900001", "2026-01-02T09:00:00Z", None, "header names differ only in case: Email, email"),
    ]


# -- decimals beyond the column's scale --------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected_reasons", "typed"),
    [
        ("100000.004", ["out_of_scale:amount", "out_of_range:amount"], None),
        ("12.345", ["out_of_scale:amount"], None),
        ("0.004", ["out_of_scale:amount"], None),
        ("0.0000000000000000000000000001", ["out_of_scale:amount"], None),
        ("100000.01", ["out_of_range:amount"], None),
        ("12.340", [], Decimal("12.34")),
        ("1.2345e2", [], Decimal("123.45")),
        ("100000.00", [], Decimal("100000.00")),
    ],
)
def test_a_decimal_with_more_fraction_digits_than_the_scale_is_quarantined(
    spark, tmp_path, amount, expected_reasons, typed
):
    """A value the column's scale would round is quarantined as ``out_of_scale``, and
    range checks see the exact source value (100000.004 > max 100000 even though it
    rounds to 100000.00). Trailing zeros are not more precision."""
    line = order(amount="__A__").replace('"__A__"', amount)
    f = write(tmp_path, "o.jsonl", line + "\n")
    validated = ingest(spark, ORDERS, [f]).transform(validate(ORDERS, "2026-01-02"))
    row = validated.first()
    assert row[REASONS] == expected_reasons
    if typed is not None:
        event = validated.transform(silver.accepted_events(ORDERS, KEY)).first()
        assert event.amount == typed


# -- partial and trailing-text dates ------------------------------------------------------


def test_partial_or_trailing_text_dates_are_invalid_and_iso_forms_are_read_as_utc(spark, tmp_path):
    """Spark's cast pads '2025-06' to a date, reads '2026-01-02T09' as 09:00 and drops
    ' provisional' after a date; none is a complete value of the type. Complete
    ISO-8601 / RFC 3339 forms with Z, z, an offset, no seconds or a space separator
    are accepted and normalised to UTC
    (https://www.rfc-editor.org/rfc/rfc3339#section-5.6)."""
    rows = [
        customer("C900081", created_at="2025-06"),
        customer("C900082", updated_at="2026-01-02T09"),
        customer("C900083", updated_at="2026-01-02T09:00 UTC"),
        customer("C900084", updated_at="2026-01-02T09:00Z"),
        customer("C900085", updated_at="2026-01-02t09:00:00z"),
        customer("C900086", updated_at="2026-01-02T10:30:00+01:30"),
        customer("C900087", updated_at="2026-01-02 09:00:00.123456"),
        customer("C900088", updated_at="2026-01-01T23:00:00-1000"),
        customer("C900089", updated_at="2026-01-02T09:00:00.1234567Z"),
    ]
    f = write(tmp_path, "c.csv", "\n".join([CUSTOMER_HEADER, *rows]) + "\n")
    validated = ingest(spark, CUSTOMERS, [f]).transform(validate(CUSTOMERS, "2026-01-02"))
    assert by_line(validated, "customer_id", REASONS) == [
        ("C900081", ["invalid_type:created_at"]),
        ("C900082", ["invalid_type:updated_at"]),
        ("C900083", ["invalid_type:updated_at"]),
        ("C900084", []),
        ("C900085", []),
        ("C900086", []),
        ("C900087", []),
        ("C900088", []),
        ("C900089", ["invalid_type:updated_at"]),
    ]
    events = validated.transform(silver.accepted_events(CUSTOMERS, KEY))
    nine = dt.datetime(2026, 1, 2, 9, 0)
    assert by_line(events, "customer_id", "updated_at") == [
        ("C900084", nine),
        ("C900085", nine),
        ("C900086", nine),
        ("C900087", nine.replace(microsecond=123456)),
        ("C900088", nine),
    ]


def test_a_date_with_trailing_words_never_replaces_a_real_rate(spark, tmp_path):
    """fx ``2026-01-02 provisional``: Spark's cast reads 2026-01-02; the row is
    quarantined instead, so gold keeps the real rate of that day."""
    text = (
        "rate_date,currency,usd_rate\n2026-01-02 provisional,GBP,1.30000000\n2026-01-02,GBP,1.25\n"
    )
    assert reasons(spark, FX, [write(tmp_path, "fx.csv", text)]) == [
        (1, ["invalid_type:rate_date"]),
        (2, []),
    ]


def test_a_line_cut_while_the_file_was_written_is_quarantined(spark, tmp_path):
    """A landing file still being written ends mid-line: cut inside a timestamp, the
    CSV line is an invalid timestamp; cut inside a JSON object, the line is malformed."""
    cut_csv = customer("C900091")[:-8]
    f = write(tmp_path, "c.csv", f"{CUSTOMER_HEADER}\n{cut_csv}")
    assert reasons(spark, CUSTOMERS, [f]) == [(1, ["invalid_type:updated_at"])]
    g = write(tmp_path, "o.jsonl", order()[:-20])
    assert reasons(spark, ORDERS, [g]) == [(1, ["malformed_record"])]


# -- file names -----------------------------------------------------------------------------


def test_any_legal_s3_key_is_a_landing_file_and_lineage_keeps_its_name(spark, tmp_path):
    """Brackets, braces, ``*``, ``?``, ``:``, spaces, ``%``, ``+`` and non-ASCII are legal in
    S3 keys (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
    Spark would read a listed name as a glob pattern (``[02]`` is a character class)
    and report it URL-encoded; bronze reads each name literally and keeps it as listed."""
    from lakehouse.steps import _raw_line_counts

    names = [
        "orders_2026-01-02_[02].jsonl",
        "orders {a,b} *?.jsonl",
        "orders 50%20off +1:é.jsonl",
    ]
    from lakehouse import io

    for i, name in enumerate(names):
        write(tmp_path, name, order(f"O90000006{i}") + "\n")
    files = io.list_files(spark, f"file://{tmp_path}")  # as the bronze job lists them
    assert [f.rsplit("/", 1)[1] for f in files] == sorted(names)
    rows = ingest(spark, ORDERS, files)
    assert sorted(r._source_file for r in rows.collect()) == sorted(files)
    assert rows.where("_is_malformed").count() == 0
    assert _raw_line_counts(spark, files, csv=False)["raw_data_lines"] == 3


# -- ties on the ordering column -----------------------------------------------------------


def _events(spark, tmp_path, name, lines, ingest_date="2026-01-02"):
    f = write(tmp_path, name, "\n".join(lines) + "\n")
    validated = ingest(spark, ORDERS, [f], ingest_date).transform(validate(ORDERS, ingest_date))
    return validated.transform(silver.accepted_events(ORDERS, KEY)).transform(
        silver.drop_duplicate_events(ORDERS)
    )


def _merge(spark, batch, live=None, tombstones=None):
    empty = spark.createDataFrame(
        [], struct_of([*silver_columns(ORDERS), ("order_date", "string")])
    )
    newest = batch.transform(silver.newest_per_key(ORDERS))
    return silver.merge(ORDERS, newest, live or empty, tombstones or empty)


def test_an_insert_and_a_delete_at_the_same_instant_leave_the_key_deleted(spark, tmp_path):
    """Ties on updated_at: delete > update > insert, whatever the line order, so the
    deleted order never stays live and counts in gold revenue."""
    insert, delete = order(), order(op="D")
    for name, lines in (("a.jsonl", [insert, delete]), ("b.jsonl", [delete, insert])):
        live, tombstones = _merge(spark, _events(spark, tmp_path, name, lines))
        assert live.count() == 0, name
        assert [(r.order_id, r._op) for r in tombstones.collect()] == [("O900000001", "D")]


def test_equal_updates_at_the_same_instant_resolve_by_delivery_order(spark, tmp_path):
    """Two updates with the same updated_at: the later line wins; across days the later
    ingest date wins, and replaying the older day afterwards changes nothing."""
    paid, shipped = order(op="U", status="PAID"), order(op="U", status="SHIPPED")
    live, _ = _merge(spark, _events(spark, tmp_path, "a.jsonl", [shipped, paid]))
    assert [r.status for r in live.collect()] == ["PAID"]

    day1 = _events(spark, tmp_path, "d1.jsonl", [shipped], "2026-01-02")
    day2 = _events(spark, tmp_path, "d2.jsonl", [paid], "2026-01-03")
    in_order, dead = _merge(spark, day2, *_merge(spark, day1))
    replayed, _ = _merge(spark, day1, in_order, dead)
    assert [r.status for r in in_order.collect()] == ["PAID"]
    assert [r.status for r in replayed.collect()] == ["PAID"]
    reverse, _ = _merge(spark, day1, *_merge(spark, day2))
    assert [r.status for r in reverse.collect()] == ["PAID"]
