-- For every order date this run staged, fact_orders and daily_sales agree: as many
-- orders, the same revenue in USD (orders with an FX rate) and the same orders without
-- one. Both come from the same orders in USD, so any difference is a bug in gold.
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

sales as (
    select
        order_date,
        sum(count_orders) as count_orders,
        sum(revenue_usd) as revenue_usd,
        sum(count_orders_missing_fx) as count_orders_missing_fx
    from ops.staged_daily_sales
    where run_id = (select run_id from params)
    group by order_date
),

facts as (
    select
        order_date,
        count(*) as count_orders,
        coalesce(sum(amount_usd), 0) as revenue_usd,
        count_if(amount_usd is null) as count_orders_missing_fx
    from ops.staged_fact_orders
    where run_id = (select run_id from params)
    group by order_date
),

compared as (
    select
        coalesce(s.order_date, f.order_date) as order_date,
        coalesce(s.count_orders, 0) = coalesce(f.count_orders, 0)
        and coalesce(s.revenue_usd, 0) = coalesce(f.revenue_usd, 0)
        and coalesce(s.count_orders_missing_fx, 0) = coalesce(f.count_orders_missing_fx, 0)
            as is_equal
    from sales as s
    full outer join facts as f on s.order_date = f.order_date
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(count_if(not c.is_equal) <= max(p.threshold), false) as passed,
    cast(count_if(not c.is_equal) as double) as observed,
    max(p.threshold) as threshold,
    cast(count(c.order_date) as varchar) || ' staged order dates compared, '
    || cast(count_if(not c.is_equal) as varchar)
    || ' differ between fact_orders and daily_sales' as details
from params as p
left join compared as c on true
group by p.check_name, p.severity
