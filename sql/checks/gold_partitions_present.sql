-- The run staged what its input implies: order-date, week and month partitions of the
-- sales tables and fact_orders when orders changed, and a non-empty customer snapshot
-- when silver has customers.
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

expected as (
    select
        (
            select count(*)
            from silver.orders
            where "_run_id" = (select run_id from params)
        ) as changed_orders,
        (select count(*) from silver.customers) as silver_customers
),

staged as (
    select
        (
            select count(distinct order_date)
            from ops.staged_daily_sales
            where run_id = (select run_id from params)
        ) as sales_dates,
        (
            select count(distinct order_date)
            from ops.staged_order_status_daily
            where run_id = (select run_id from params)
        ) as status_dates,
        (
            select count(distinct order_date)
            from ops.staged_fact_orders
            where run_id = (select run_id from params)
        ) as fact_dates,
        (
            select count(distinct iso_week)
            from ops.staged_weekly_sales
            where run_id = (select run_id from params)
        ) as sales_weeks,
        (
            select count(distinct order_month)
            from ops.staged_monthly_sales
            where run_id = (select run_id from params)
        ) as sales_months,
        (
            select count(*)
            from ops.staged_dim_customer
            where
                run_id = (select run_id from params)
                and snapshot_date = (select run_date from params)
        ) as dim_rows,
        (
            select count(*)
            from ops.staged_customer_value
            where
                run_id = (select run_id from params)
                and snapshot_date = (select run_date from params)
        ) as value_rows
),

missing as (
    select
        case when e.changed_orders > 0 and s.sales_dates = 0 then 1 else 0 end
        + case when e.changed_orders > 0 and s.status_dates = 0 then 1 else 0 end
        + case when e.changed_orders > 0 and s.fact_dates = 0 then 1 else 0 end
        + case when e.changed_orders > 0 and s.sales_weeks = 0 then 1 else 0 end
        + case when e.changed_orders > 0 and s.sales_months = 0 then 1 else 0 end
        + case when e.silver_customers > 0 and s.dim_rows = 0 then 1 else 0 end
        + case when e.silver_customers > 0 and s.value_rows = 0 then 1 else 0 end
            as missing_tables,
        e.changed_orders,
        s.sales_dates,
        s.fact_dates,
        s.sales_weeks,
        s.sales_months,
        s.dim_rows
    from expected as e
    cross join staged as s
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(m.missing_tables <= p.threshold, false) as passed,
    cast(m.missing_tables as double) as observed,
    p.threshold,
    'staged: ' || cast(m.sales_dates as varchar)
    || ' order dates for ' || cast(m.changed_orders as varchar)
    || ' changed orders (fact_orders: ' || cast(m.fact_dates as varchar)
    || ', weekly_sales: ' || cast(m.sales_weeks as varchar)
    || ' weeks, monthly_sales: ' || cast(m.sales_months as varchar)
    || ' months), ' || cast(m.dim_rows as varchar)
    || ' customer versions' as details
from missing as m
cross join params as p
