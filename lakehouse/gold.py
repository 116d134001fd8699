"""Gold: business tables computed from silver. Pure DataFrame -> DataFrame functions.

- FX: each order converts at the rate of its order date, or the latest earlier rate
  within ``FX_LOOKBACK_DAYS`` (a missing day must not zero revenue); orders with no
  rate in that window are counted in ``count_orders_missing_fx``, not summed.
- Country: the customer's country valid at order time (SCD2), else their first known
  version, else ``UNKNOWN`` (an order for a customer we have never seen).
- Periods: ``iso_week`` is the ISO-8601 week of the order date, ``YYYY-Www`` with the
  week-numbering year (the year of the week's Thursday: 2027-01-01 is ``2026-W53``);
  ``order_month`` is the calendar month, ``YYYY-MM``. Weekly and monthly sales are the
  daily sales aggregation over those periods, so they reconcile with daily_sales.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

FX_LOOKBACK_DAYS = 7
UNKNOWN_COUNTRY = "UNKNOWN"
UNKNOWN_SEGMENT = "unknown"
NOT_A_SALE = ("CANCELLED",)
RECOGNISED_REVENUE = ("PAID", "SHIPPED", "DELIVERED")
MONEY = "decimal(38,2)"
CUSTOMER_ATTRIBUTES = ["email_token", "phone_masked", "country", "segment"]
ISO_WEEK, ORDER_MONTH = "iso_week", "order_month"
# with_country's key of the customer version valid at order time: with customer_id, the
# business key (customer_id, valid_from) of that version's dim_customer row.
CUSTOMER_VALID_FROM = "customer_valid_from"
THURSDAY_OFFSET = 3  # days from a week's Monday; an ISO week belongs to its Thursday's year


def customer_history(changes: DataFrame) -> DataFrame:
    """SCD2 from every accepted customer change event (all ingest dates).

    One row per (customer, updated_at): a version is valid from its updated_at until
    the next version's; deletes are versions with ``is_deleted``. Events at the same
    instant collapse by silver's tie rule (:func:`lakehouse.silver.tie_break`).
    """
    from lakehouse import silver
    from lakehouse.contracts import load

    one_per_instant = Window.partitionBy("customer_id", "updated_at").orderBy(
        *silver.tie_break(load("customers"))
    )
    versions = (
        changes.withColumn("_rank", F.row_number().over(one_per_instant))
        .where(F.col("_rank") == 1)
        .select("customer_id", *CUSTOMER_ATTRIBUTES, "updated_at", "_op")
    )
    in_time = Window.partitionBy("customer_id").orderBy("updated_at")
    valid_to = F.lead("updated_at").over(in_time)
    return versions.select(
        "customer_id",
        *CUSTOMER_ATTRIBUTES,
        F.col("updated_at").alias("valid_from"),
        valid_to.alias("valid_to"),
        valid_to.isNull().alias("is_current"),
        (F.col("_op") == "D").alias("is_deleted"),
    )


def dense_fx(fx_rates: DataFrame) -> DataFrame:
    """(rate_on, currency, usd_rate) for every day a rate can serve: its own date and
    the next FX_LOOKBACK_DAYS days, the newest rate winning."""
    days = fx_rates.select(
        "currency",
        "rate_date",
        "usd_rate",
        F.explode(F.sequence(F.col("rate_date"), F.date_add("rate_date", FX_LOOKBACK_DAYS))).alias(
            "rate_on"
        ),
    )
    newest = Window.partitionBy("currency", "rate_on").orderBy(F.col("rate_date").desc())
    return (
        days.withColumn("_rank", F.row_number().over(newest))
        .where(F.col("_rank") == 1)
        .select("rate_on", F.col("currency").alias("_fx_currency"), "usd_rate")
    )


def with_usd(fx_rates: DataFrame) -> Callable[[DataFrame], DataFrame]:
    rates = dense_fx(fx_rates)

    def transform(orders: DataFrame) -> DataFrame:
        on_order_day = (F.to_date(orders["ordered_at"]) == rates["rate_on"]) & (
            orders["currency"] == rates["_fx_currency"]
        )
        return orders.join(rates, on=on_order_day, how="left").select(
            orders["*"], (orders["amount"] * rates["usd_rate"]).cast(MONEY).alias("amount_usd")
        )

    return transform


def with_country(history: DataFrame) -> Callable[[DataFrame], DataFrame]:
    """Adds ``country`` (see the module doc) and ``customer_valid_from``, the valid_from
    of the customer version valid at ``ordered_at``: NULL when no version was valid then
    (a customer we have never seen, or an order older than the customer's first version)."""
    first_version = Window.partitionBy("customer_id").orderBy("valid_from")
    firsts = (
        history.withColumn("_rank", F.row_number().over(first_version))
        .where(F.col("_rank") == 1)
        .select("customer_id", F.col("country").alias("_first_country"))
    )

    def transform(orders: DataFrame) -> DataFrame:
        h = history.select(
            F.col("customer_id").alias("_cid"),
            "valid_from",
            "valid_to",
            F.col("country").alias("_as_of_country"),
        )
        valid_at_order = (
            (orders["customer_id"] == h["_cid"])
            & (h["valid_from"] <= orders["ordered_at"])
            & (h["valid_to"].isNull() | (orders["ordered_at"] < h["valid_to"]))
        )
        return (
            orders.join(h, on=valid_at_order, how="left")
            .join(firsts, on="customer_id", how="left")
            .withColumn(
                "country", F.coalesce("_as_of_country", "_first_country", F.lit(UNKNOWN_COUNTRY))
            )
            .withColumnRenamed("valid_from", CUSTOMER_VALID_FROM)
            .drop("_cid", "valid_to", "_as_of_country", "_first_country")
        )

    return transform


def iso_week(order_date: Column) -> Column:
    """``YYYY-Www`` of a ``yyyy-MM-dd`` order date: ISO week-numbering year and week."""
    day = F.to_date(order_date)
    thursday = F.date_add(F.date_trunc("week", day).cast("date"), THURSDAY_OFFSET)
    return F.format_string("%04d-W%02d", F.year(thursday), F.weekofyear(day))


def iso_week_of(order_date: str) -> str:
    """:func:`iso_week` in Python, for the partition values a run rewrites."""
    year, week, _ = date.fromisoformat(order_date).isocalendar()
    return f"{year:04d}-W{week:02d}"


def order_month(order_date: Column) -> Column:
    """``YYYY-MM`` of a ``yyyy-MM-dd`` order date."""
    return F.date_format(F.to_date(order_date), "yyyy-MM")


def order_month_of(order_date: str) -> str:
    return date.fromisoformat(order_date).strftime("%Y-%m")


def _sales(orders_usd: DataFrame, period: str) -> DataFrame:
    """Per period x country x current status; the input carries amount_usd and country.
    The one definition of orders, revenue and AOV that every sales table shares."""
    has_fx = F.col("amount_usd").isNotNull()
    revenue = F.sum("amount_usd")
    priced = F.sum(has_fx.cast("int"))
    return (
        orders_usd.groupBy(period, "country", "status")
        .agg(
            F.count(F.lit(1)).alias("count_orders"),
            F.coalesce(revenue, F.lit(0)).cast(MONEY).alias("revenue_usd"),
            F.coalesce(revenue / F.nullif(priced, F.lit(0)), F.lit(0))
            .cast(MONEY)
            .alias("avg_order_value_usd"),
            F.sum((~has_fx).cast("bigint")).alias("count_orders_missing_fx"),
        )
        .select(
            "country",
            "status",
            "count_orders",
            "revenue_usd",
            "avg_order_value_usd",
            "count_orders_missing_fx",
            period,
        )
    )


def daily_sales(orders_usd: DataFrame) -> DataFrame:
    """country, status string; count_orders bigint; revenue_usd, avg_order_value_usd
    decimal(38,2); count_orders_missing_fx bigint; order_date string (partition)."""
    return _sales(orders_usd, "order_date")


def weekly_sales(orders_usd: DataFrame) -> DataFrame:
    """daily_sales' columns per ISO week instead of order date: ..., iso_week string
    (partition, ``YYYY-Www``). Give it whole weeks: a week's row sums the orders given."""
    return _sales(orders_usd.withColumn(ISO_WEEK, iso_week(F.col("order_date"))), ISO_WEEK)


def monthly_sales(orders_usd: DataFrame) -> DataFrame:
    """daily_sales' columns per calendar month: ..., order_month string (partition,
    ``YYYY-MM``). Give it whole months."""
    return _sales(orders_usd.withColumn(ORDER_MONTH, order_month(F.col("order_date"))), ORDER_MONTH)


def fact_orders(orders_usd: DataFrame) -> DataFrame:
    """One row per order at its current silver state; the input is silver orders through
    :func:`with_usd` and :func:`with_country`. order_id, customer_id string;
    customer_valid_from timestamp (NULL: no customer version valid at order time);
    country, status string; amount decimal(18,2); currency string; amount_usd
    decimal(38,2) (NULL: no FX rate); ordered_at, updated_at timestamp; order_date
    string (partition). (customer_id, customer_valid_from) is dim_customer's
    (customer_id, valid_from)."""
    return orders_usd.select(
        "order_id",
        "customer_id",
        CUSTOMER_VALID_FROM,
        "country",
        "status",
        "amount",
        "currency",
        "amount_usd",
        "ordered_at",
        "updated_at",
        "order_date",
    )


def order_status_daily(orders: DataFrame) -> DataFrame:
    return (
        orders.groupBy("order_date", "status")
        .agg(F.count(F.lit(1)).alias("count_orders"))
        .select("status", "count_orders", "order_date")
    )


def dim_customer(history: DataFrame, snapshot_date: str) -> DataFrame:
    return history.select(
        "customer_id",
        *CUSTOMER_ATTRIBUTES,
        "valid_from",
        "valid_to",
        "is_current",
        "is_deleted",
        F.lit(snapshot_date).alias("snapshot_date"),
    )


def customer_value(customers: DataFrame, orders_usd: DataFrame, snapshot_date: str) -> DataFrame:
    """Per current customer: orders (not cancelled) and recognised revenue to date."""
    is_sale = ~F.col("status").isin(*NOT_A_SALE)
    recognised = F.col("status").isin(*RECOGNISED_REVENUE)
    per_customer = orders_usd.groupBy("customer_id").agg(
        F.sum(is_sale.cast("bigint")).alias("count_orders"),
        F.sum(F.when(recognised, F.col("amount_usd"))).alias("revenue"),
        F.min(F.when(is_sale, F.col("ordered_at"))).alias("first_order_at"),
        F.max(F.when(is_sale, F.col("ordered_at"))).alias("last_order_at"),
    )
    return customers.join(per_customer, on="customer_id", how="left").select(
        "customer_id",
        "country",
        "segment",
        F.coalesce("count_orders", F.lit(0)).cast("bigint").alias("count_orders"),
        F.coalesce("revenue", F.lit(0)).cast(MONEY).alias("lifetime_revenue_usd"),
        "first_order_at",
        "last_order_at",
        F.lit(snapshot_date).alias("snapshot_date"),
    )
