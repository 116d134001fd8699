-- Orders per current status per order date: for every published order date, how many
-- of that day's orders are now in each status (gold.order_status_daily keeps one
-- partition per order date, replaced by each run that touched the date, so this is
-- the latest state), with the date's total and each status's share of it.
with source as (
    select
        cast(order_date as date) as order_date,
        status,
        count_orders
    from gold.order_status_daily
),

final as (
    select
        order_date,
        status,
        count_orders,
        sum(count_orders) over (partition by order_date) as count_orders_on_date,
        cast(count_orders as double)
        / sum(count_orders) over (partition by order_date) as status_share
    from source
)

select
    order_date,
    status,
    count_orders,
    count_orders_on_date,
    status_share
from final
order by order_date, status
