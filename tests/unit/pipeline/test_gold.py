from datetime import date, datetime
from decimal import Decimal

from pyspark.sql import functions as F
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


SALES_SCHEMA = (
    "country string, status string, count_orders bigint, revenue_usd decimal(38,2), "
    "avg_order_value_usd decimal(38,2), count_orders_missing_fx bigint"
)


def test_iso_week_takes_the_week_numbering_year_across_year_boundaries(spark):
    boundary = {
        "2020-12-31": "2020-W53",
        "2021-01-03": "2020-W53",  # Sunday: still the week of 2020's last Thursday
        "2021-01-04": "2021-W01",
        "2024-12-30": "2025-W01",  # Monday of a week whose Thursday is in 2025
        "2026-01-01": "2026-W01",
        "2026-12-31": "2026-W53",
        "2027-01-01": "2026-W53",
        "2027-01-03": "2026-W53",
        "2027-01-04": "2027-W01",
    }
    every_day = spark.sql(
        "select cast(d as string) as order_date "
        "from (select explode(sequence(date'2020-12-20', date'2027-01-10')) as d)"
    )
    got = {
        r.order_date: (r.iso_week, r.order_month)
        for r in every_day.select(
            "order_date",
            gold.iso_week(every_day["order_date"]).alias("iso_week"),
            gold.order_month(every_day["order_date"]).alias("order_month"),
        ).collect()
    }
    assert {d: got[d][0] for d in boundary} == boundary
    # the partition values a run rewrites are computed in Python: the same for every day
    assert {d: (gold.iso_week_of(d), gold.order_month_of(d)) for d in got} == got
    assert got["2027-01-01"][1] == "2027-01" and got["2026-12-31"][1] == "2026-12"


def orders_across_the_year_end(spark):
    """Orders around 2027-01-01 (a Friday in 2026-W53) with amount_usd and country."""
    history = gold.customer_history(
        changes_frame(
            spark,
            [
                ("C1", "US", "2026-01-01T00:00:00", "I", "a"),
                ("C1", "GB", "2027-01-01T12:00:00", "U", "b"),
            ],
        )
    )
    fx = fx_frame(spark, [("2026-12-31", "USD", "1.00000000"), ("2026-12-31", "EUR", "1.10000000")])
    orders = orders_frame(
        spark,
        [
            ("O1", "C1", "PAID", "10.00", "USD", "2026-12-31T10:00:00"),  # US, 2026-W53, 2026-12
            ("O2", "C1", "PAID", "20.00", "EUR", "2027-01-01T10:00:00"),  # US, 2026-W53, 22 USD
            ("O3", "C1", "PAID", "30.00", "USD", "2027-01-01T13:00:00"),  # GB from 12:00
            ("O4", "C1", "CANCELLED", "5.00", "USD", "2027-01-04T09:00:00"),  # 2027-W01
            ("O5", "C9", "PAID", "7.00", "JPY", "2027-01-04T10:00:00"),  # unknown, no JPY rate
            ("O6", "C1", "PAID", "40.00", "USD", "2027-01-04T11:00:00"),
        ],
    )
    with_update = orders.withColumn("updated_at", F.col("ordered_at"))
    return with_update.transform(gold.with_usd(fx)).transform(gold.with_country(history))


def test_weekly_sales_per_iso_week_country_and_status(spark):
    actual = gold.weekly_sales(orders_across_the_year_end(spark))
    expected = spark.createDataFrame(
        [
            ("US", "PAID", 2, Decimal("32.00"), Decimal("16.00"), 0, "2026-W53"),
            ("GB", "PAID", 1, Decimal("30.00"), Decimal("30.00"), 0, "2026-W53"),
            ("GB", "CANCELLED", 1, Decimal("5.00"), Decimal("5.00"), 0, "2027-W01"),
            ("GB", "PAID", 1, Decimal("40.00"), Decimal("40.00"), 0, "2027-W01"),
            ("UNKNOWN", "PAID", 1, Decimal("0.00"), Decimal("0.00"), 1, "2027-W01"),
        ],
        SALES_SCHEMA + ", iso_week string",
    )
    assert_frame_equal(actual, expected, order_by=["iso_week", "country", "status"])


def test_monthly_sales_per_calendar_month_country_and_status(spark):
    actual = gold.monthly_sales(orders_across_the_year_end(spark))
    expected = spark.createDataFrame(
        [
            ("US", "PAID", 1, Decimal("10.00"), Decimal("10.00"), 0, "2026-12"),
            ("US", "PAID", 1, Decimal("22.00"), Decimal("22.00"), 0, "2027-01"),
            ("GB", "PAID", 2, Decimal("70.00"), Decimal("35.00"), 0, "2027-01"),
            ("GB", "CANCELLED", 1, Decimal("5.00"), Decimal("5.00"), 0, "2027-01"),
            ("UNKNOWN", "PAID", 1, Decimal("0.00"), Decimal("0.00"), 1, "2027-01"),
        ],
        SALES_SCHEMA + ", order_month string",
    )
    assert_frame_equal(actual, expected, order_by=["order_month", "country", "status"])


def test_weekly_monthly_and_fact_orders_reconcile_with_daily_sales(spark):
    orders_usd = orders_across_the_year_end(spark)
    daily = gold.daily_sales(orders_usd)
    additive = [
        F.sum("count_orders").alias("count_orders"),
        F.sum("revenue_usd").alias("revenue_usd"),
        F.sum("count_orders_missing_fx").alias("count_orders_missing_fx"),
    ]
    for period, table in (
        (gold.iso_week(F.col("order_date")), gold.weekly_sales(orders_usd)),
        (gold.order_month(F.col("order_date")), gold.monthly_sales(orders_usd)),
    ):
        column = table.columns[-1]
        from_daily = (
            daily.withColumn(column, period).groupBy(column, "country", "status").agg(*additive)
        )
        rolled_up = table.groupBy(column, "country", "status").agg(*additive)
        assert_frame_equal(rolled_up, from_daily, order_by=[column, "country", "status"])
    facts = gold.fact_orders(orders_usd).groupBy("order_date", "country", "status")
    from_facts = facts.agg(
        F.count(F.lit(1)).alias("count_orders"),
        F.coalesce(F.sum("amount_usd"), F.lit(0)).cast(gold.MONEY).alias("revenue_usd"),
        F.sum(F.col("amount_usd").isNull().cast("bigint")).alias("count_orders_missing_fx"),
    )
    daily_measures = daily.select(
        "order_date", "country", "status", "count_orders", "revenue_usd", "count_orders_missing_fx"
    )
    assert_frame_equal(from_facts, daily_measures, order_by=["order_date", "country", "status"])


# silver orders as gold reads them: ORDER_SCHEMA plus updated_at
SILVER_ORDER_SCHEMA = T.StructType(
    [*ORDER_SCHEMA.fields[:-1], T.StructField("updated_at", TS), ORDER_SCHEMA["order_date"]]
)


def test_fact_orders_keys_each_order_to_the_customer_version_valid_at_order_time(spark):
    history = gold.customer_history(
        changes_frame(
            spark,
            [
                ("C1", "US", "2026-01-01T00:00:00", "I", "a"),
                ("C1", "GB", "2026-01-02T12:00:00", "U", "b"),
                ("C2", "DE", "2026-01-03T00:00:00", "I", "c"),  # first known after its order
            ],
        )
    )
    fx = fx_frame(spark, [("2026-01-02", "USD", "1.00000000")])
    day, later = "2026-01-02T", "2026-01-04T09:00:00"
    silver = [  # order, customer, status, amount, currency, ordered_at, updated_at
        ("O1", "C1", "PAID", "10.00", "USD", day + "10:00:00", day + "11:00:00"),
        ("O2", "C1", "SHIPPED", "20.00", "USD", day + "13:00:00", later),
        ("O3", "C2", "PAID", "8.00", "USD", day + "14:00:00", day + "14:00:00"),
        ("O4", "C9", "PAID", "5.00", "JPY", day + "15:00:00", day + "15:00:00"),
    ]
    orders = spark.createDataFrame(
        [(o, c, s, Decimal(a), cur, ts(at), ts(up), at[:10]) for o, c, s, a, cur, at, up in silver],
        SILVER_ORDER_SCHEMA,
    )
    actual = gold.fact_orders(
        orders.transform(gold.with_usd(fx)).transform(gold.with_country(history))
    )
    keyed = {  # order -> (customer_valid_from, country, amount_usd)
        "O1": (ts("2026-01-01T00:00:00"), "US", Decimal("10.00")),
        "O2": (ts("2026-01-02T12:00:00"), "GB", Decimal("20.00")),  # after the move
        "O3": (None, "DE", Decimal("8.00")),  # no version yet: NULL key, first version's country
        "O4": (None, "UNKNOWN", None),  # customer never seen; no JPY rate
    }
    expected = spark.createDataFrame(
        [
            (
                o,
                c,
                keyed[o][0],
                keyed[o][1],
                s,
                Decimal(a),
                cur,
                keyed[o][2],
                ts(at),
                ts(up),
                at[:10],
            )
            for o, c, s, a, cur, at, up in silver
        ],
        "order_id string, customer_id string, customer_valid_from timestamp, country string, "
        "status string, amount decimal(18,2), currency string, amount_usd decimal(38,2), "
        "ordered_at timestamp, updated_at timestamp, order_date string",
    )
    assert_frame_equal(actual, expected, order_by=["order_id"])
    dim = gold.dim_customer(history, "2026-01-04").select(
        F.col("customer_id").alias("dim_customer_id"),
        "valid_from",
        F.col("country").alias("dim_country"),
    )
    is_version = (F.col("customer_id") == F.col("dim_customer_id")) & (
        F.col("customer_valid_from") == F.col("valid_from")
    )
    in_dim = actual.join(dim, on=is_version, how="inner").select("order_id", "dim_country")
    assert sorted(in_dim.collect()) == [("O1", "US"), ("O2", "GB")]
