-- For every ISO week and month this run staged, weekly_sales and monthly_sales have the
-- orders and revenue in USD of the daily_sales readers will see once the run publishes:
-- this run's staged order dates, the published ones for the other dates of the period.
-- A difference means a date of the period changed in silver without its daily_sales
-- being published (a blocked run: rerun that date), so it warns.
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

staged_daily as (
    select
        order_date,
        count_orders,
        revenue_usd
    from ops.staged_daily_sales
    where run_id = (select run_id from params)
),

daily as (
    select
        order_date,
        count_orders,
        revenue_usd
    from staged_daily
    union all
    select
        order_date,
        count_orders,
        revenue_usd
    from gold.daily_sales
    where order_date not in (select staged_daily.order_date from staged_daily)
),

daily_dates as (
    select
        order_date,
        sum(count_orders) as count_orders,
        sum(revenue_usd) as revenue_usd
    from daily
    group by order_date
),

dated as (
    select
        substring(order_date, 1, 7) as order_month,
        -- ISO week: the week-numbering year is the year of the week's Thursday
        cast(year(date_add('day', 3, date_trunc('week', cast(order_date as date)))) as varchar)
        || '-W'
        || substring('0' || cast(week(cast(order_date as date)) as varchar), -2) as iso_week,
        count_orders,
        revenue_usd
    from daily_dates
),

from_daily as (
    select
        'weekly_sales' as gold_table,
        iso_week as period,
        sum(count_orders) as count_orders,
        sum(revenue_usd) as revenue_usd
    from dated
    group by iso_week
    union all
    select
        'monthly_sales' as gold_table,
        order_month as period,
        sum(count_orders) as count_orders,
        sum(revenue_usd) as revenue_usd
    from dated
    group by order_month
),

staged as (
    select
        'weekly_sales' as gold_table,
        iso_week as period,
        sum(count_orders) as count_orders,
        sum(revenue_usd) as revenue_usd
    from ops.staged_weekly_sales
    where run_id = (select run_id from params)
    group by iso_week
    union all
    select
        'monthly_sales' as gold_table,
        order_month as period,
        sum(count_orders) as count_orders,
        sum(revenue_usd) as revenue_usd
    from ops.staged_monthly_sales
    where run_id = (select run_id from params)
    group by order_month
),

compared as (
    select
        s.gold_table,
        s.period,
        s.count_orders = coalesce(d.count_orders, 0)
        and s.revenue_usd = coalesce(d.revenue_usd, 0) as is_equal
    from staged as s
    left join from_daily as d
        on s.gold_table = d.gold_table and s.period = d.period
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(count_if(not c.is_equal) <= max(p.threshold), false) as passed,
    cast(count_if(not c.is_equal) as double) as observed,
    max(p.threshold) as threshold,
    cast(count(c.period) as varchar) || ' staged weeks and months compared, '
    || cast(count_if(not c.is_equal) as varchar)
    || ' differ from the sum of daily_sales over their dates' as details
from params as p
left join compared as c on true
group by p.check_name, p.severity
