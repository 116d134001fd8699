from datetime import date, datetime
from decimal import Decimal

from pyspark.sql import types as T

from lakehouse import gold
from tests.support.frames import assert_frame_equal

TS = T.TimestampType()


def ts(text):
    return datetime.fromisoformat(text)


def fx_frame(spark, rows):
    schema = T.StructType(
        [
            T.StructField("rate_date", T.DateType()),
            T.StructField("currency", T.StringType()),
            T.StructField("usd_rate", T.DecimalType(18, 8)),
        ]
    )
    return spark.createDataFrame(
        [(date.fromisoformat(d), c, Decimal(r)) for d, c, r in rows], schema
    )


ORDER_SCHEMA = T.StructType(
    [
        T.StructField("order_id", T.StringType()),
        T.StructField("customer_id", T.StringType()),
        T.StructField("status", T.StringType()),
        T.StructField("amount", T.DecimalType(18, 2)),
        T.StructField("currency", T.StringType()),
        T.StructField("ordered_at", TS),
        T.StructField("order_date", T.StringType()),
    ]
)


def orders_frame(spark, rows):
    return spark.createDataFrame(
        [(o, c, s, Decimal(a), cur, ts(at), at[:10]) for o, c, s, a, cur, at in rows], ORDER_SCHEMA
    )


CHANGES_SCHEMA = T.StructType(
    [
        T.StructField("customer_id", T.StringType()),
        T.StructField("email_token", T.StringType()),
        T.StructField("phone_masked", T.StringType()),
        T.StructField("country", T.StringType()),
        T.StructField("segment", T.StringType()),
        T.StructField("updated_at", TS),
        T.StructField("_op", T.StringType()),
        T.StructField("_record_hash", T.StringType()),
        T.StructField("_ingest_date", T.StringType()),
        T.StructField("_source_file", T.StringType()),
        T.StructField("_line_number", T.LongType()),
    ]
)


def changes_frame(spark, rows):
    return spark.createDataFrame(
        [
            (c, "tok", "******01", country, "consumer", ts(at), op, h, at[:10], "f", i)
            for i, (c, country, at, op, h) in enumerate(rows)
        ],
        CHANGES_SCHEMA,
    )


def test_fx_uses_the_order_day_rate_or_carries_forward_at_most_seven_days(spark):
    fx = fx_frame(spark, [("2026-01-01", "EUR", "1.10000000"), ("2026-01-03", "EUR", "1.20000000")])
    orders = orders_frame(
        spark,
        [
            ("O1", "C1", "PAID", "10.00", "EUR", "2026-01-01T10:00:00"),
            ("O2", "C1", "PAID", "10.00", "EUR", "2026-01-02T10:00:00"),  # no rate that day -> 1.10
            ("O3", "C1", "PAID", "10.00", "EUR", "2026-01-03T10:00:00"),
            (
                "O4",
                "C1",
                "PAID",
                "10.00",
                "EUR",
                "2026-01-11T10:00:00",
            ),  # 8 days after the last rate
        ],
    )
    out = {r.order_id: r.amount_usd for r in orders.transform(gold.with_usd(fx)).collect()}
    assert out == {
        "O1": Decimal("11.00"),
        "O2": Decimal("11.00"),
        "O3": Decimal("12.00"),
        "O4": None,
    }


def test_scd2_history_orders_versions_and_marks_current_and_deleted(spark):
    changes = changes_frame(
        spark,
        [
            ("C1", "US", "2026-01-01T09:00:00", "I", "a"),
            ("C1", "GB", "2026-01-05T09:00:00", "U", "b"),
            ("C1", "GB", "2026-01-05T09:00:00", "U", "b"),  # replayed event
            ("C2", "DE", "2026-01-01T09:00:00", "I", "c"),
            ("C2", "DE", "2026-01-02T09:00:00", "D", "d"),
        ],
    )
    got = [
        (r.customer_id, r.country, r.valid_from, r.valid_to, r.is_current, r.is_deleted)
        for r in gold.customer_history(changes).orderBy("customer_id", "valid_from").collect()
    ]
    assert got == [
        ("C1", "US", ts("2026-01-01T09:00:00"), ts("2026-01-05T09:00:00"), False, False),
        ("C1", "GB", ts("2026-01-05T09:00:00"), None, True, False),
        ("C2", "DE", ts("2026-01-01T09:00:00"), ts("2026-01-02T09:00:00"), False, False),
        ("C2", "DE", ts("2026-01-02T09:00:00"), None, True, True),
    ]


def test_daily_sales_by_country_at_order_time(spark):
    history = gold.customer_history(
        changes_frame(
            spark,
            [
                ("C1", "US", "2026-01-01T00:00:00", "I", "a"),
                ("C1", "GB", "2026-01-02T12:00:00", "U", "b"),
            ],
        )
    )
    fx = fx_frame(spark, [("2026-01-02", "USD", "1.00000000"), ("2026-01-02", "GBP", "1.25000000")])
    orders = orders_frame(
        spark,
        [
            ("O1", "C1", "PAID", "10.00", "USD", "2026-01-02T10:00:00"),  # before the move: US
            ("O2", "C1", "PAID", "20.00", "USD", "2026-01-02T13:00:00"),  # after: GB
            ("O3", "C1", "PAID", "8.00", "GBP", "2026-01-02T14:00:00"),  # GB, 10 USD
            (
                "O4",
                "C9",
                "PAID",
                "5.00",
                "JPY",
                "2026-01-02T15:00:00",
            ),  # unknown customer, no JPY rate
        ],
    )
    actual = gold.daily_sales(
        orders.transform(gold.with_usd(fx)).transform(gold.with_country(history))
    )
    schema = "country string, status string, count_orders bigint, revenue_usd decimal(38,2), avg_order_value_usd decimal(38,2), count_orders_missing_fx bigint, order_date string"
    expected = spark.createDataFrame(
        [
            ("US", "PAID", 1, Decimal("10.00"), Decimal("10.00"), 0, "2026-01-02"),
            ("GB", "PAID", 2, Decimal("30.00"), Decimal("15.00"), 0, "2026-01-02"),
            ("UNKNOWN", "PAID", 1, Decimal("0.00"), Decimal("0.00"), 1, "2026-01-02"),
        ],
        schema,
    )
    assert_frame_equal(actual, expected, order_by=["country"])


def test_customer_value_counts_sales_and_recognised_revenue_only(spark):
    history = gold.customer_history(
        changes_frame(
            spark,
            [
                ("C1", "US", "2026-01-01T00:00:00", "I", "a"),
                ("C2", "DE", "2026-01-01T00:00:00", "I", "b"),
            ],
        )
    )
    fx = fx_frame(spark, [("2026-01-02", "USD", "1.00000000")])
    orders = orders_frame(
        spark,
        [
            ("O1", "C1", "DELIVERED", "10.00", "USD", "2026-01-02T10:00:00"),
            ("O2", "C1", "PLACED", "99.00", "USD", "2026-01-02T11:00:00"),
            ("O3", "C1", "CANCELLED", "50.00", "USD", "2026-01-02T12:00:00"),
        ],
    ).transform(gold.with_usd(fx))
    current = history.where("is_current and not is_deleted")
    got = {
        r.customer_id: (r.count_orders, r.lifetime_revenue_usd, r.last_order_at)
        for r in gold.customer_value(current, orders, "2026-01-03").collect()
    }
    assert got == {
        "C1": (2, Decimal("10.00"), ts("2026-01-02T11:00:00")),
        "C2": (0, Decimal("0.00"), None),
    }
