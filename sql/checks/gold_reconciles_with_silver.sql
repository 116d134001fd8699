-- For every period this run staged, the order tables count every silver order of that
-- period once: daily_sales and fact_orders per order date, weekly_sales per ISO week
-- (YYYY-Www, the year of the week's Thursday), monthly_sales per month (YYYY-MM).
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

staged as (
    select
        'daily_sales' as gold_table,
        order_date as period,
        sum(count_orders) as gold_orders
    from ops.staged_daily_sales
    where run_id = (select run_id from params)
    group by order_date
    union all
    select
        'fact_orders' as gold_table,
        order_date as period,
        count(*) as gold_orders
    from ops.staged_fact_orders
    where run_id = (select run_id from params)
    group by order_date
    union all
    select
        'weekly_sales' as gold_table,
        iso_week as period,
        sum(count_orders) as gold_orders
    from ops.staged_weekly_sales
    where run_id = (select run_id from params)
    group by iso_week
    union all
    select
        'monthly_sales' as gold_table,
        order_month as period,
        sum(count_orders) as gold_orders
    from ops.staged_monthly_sales
    where run_id = (select run_id from params)
    group by order_month
),

silver_dates as (
    select
        order_date,
        count(*) as silver_orders
    from silver.orders
    group by order_date
),

dated as (
    select
        order_date,
        substring(order_date, 1, 7) as order_month,
        -- ISO week: the week-numbering year is the year of the week's Thursday
        cast(year(date_add('day', 3, date_trunc('week', cast(order_date as date)))) as varchar)
        || '-W'
        || substring('0' || cast(week(cast(order_date as date)) as varchar), -2) as iso_week,
        silver_orders
    from silver_dates
),

silver_periods as (
    select
        'daily_sales' as gold_table,
        order_date as period,
        silver_orders
    from dated
    union all
    select
        'fact_orders' as gold_table,
        order_date as period,
        silver_orders
    from dated
    union all
    select
        'weekly_sales' as gold_table,
        iso_week as period,
        sum(silver_orders) as silver_orders
    from dated
    group by iso_week
    union all
    select
        'monthly_sales' as gold_table,
        order_month as period,
        sum(silver_orders) as silver_orders
    from dated
    group by order_month
),

compared as (
    select
        s.gold_table,
        s.period,
        abs(s.gold_orders - coalesce(o.silver_orders, 0)) as difference
    from staged as s
    left join silver_periods as o
        on s.gold_table = o.gold_table and s.period = o.period
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(coalesce(sum(c.difference), 0) <= max(p.threshold), false) as passed,
    cast(coalesce(sum(c.difference), 0) as double) as observed,
    max(p.threshold) as threshold,
    cast(count_if(c.gold_table = 'daily_sales') as varchar) || ' order dates, '
    || cast(count_if(c.gold_table = 'weekly_sales') as varchar) || ' weeks, '
    || cast(count_if(c.gold_table = 'monthly_sales') as varchar) || ' months staged; '
    || cast(count_if(c.difference > 0) as varchar) || ' table periods differ from silver'
        as details
from params as p
left join compared as c on true
group by p.check_name, p.severity
