-- For every order date this run staged, daily_sales counts every silver order once.
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
        order_date,
        sum(count_orders) as gold_orders
    from ops.staged_daily_sales
    where run_id = (select run_id from params)
    group by order_date
),

silver_orders as (
    select
        order_date,
        count(*) as silver_orders
    from silver.orders
    where order_date in (select order_date from staged)
    group by order_date
),

compared as (
    select
        s.order_date,
        abs(s.gold_orders - coalesce(o.silver_orders, 0)) as difference
    from staged as s
    left join silver_orders as o on s.order_date = o.order_date
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(coalesce(sum(c.difference), 0) <= max(p.threshold), false) as passed,
    cast(coalesce(sum(c.difference), 0) as double) as observed,
    max(p.threshold) as threshold,
    cast(count(c.order_date) as varchar) || ' staged order dates compared, '
    || cast(count_if(c.difference > 0) as varchar) || ' differ' as details
from params as p
left join compared as c on true
group by p.check_name, p.severity
