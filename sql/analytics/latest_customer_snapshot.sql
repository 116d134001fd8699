-- Customer value as of the latest published snapshot: one row per current customer
-- with lifetime orders (cancelled ones excluded), recognised revenue in USD and
-- first/last order timestamps, from gold.customer_value at its latest snapshot_date.
with source as (
    select
        snapshot_date,
        customer_id,
        country,
        segment,
        count_orders,
        lifetime_revenue_usd,
        first_order_at,
        last_order_at
    from gold.customer_value
),

latest as (
    select max(snapshot_date) as snapshot_date
    from source
),

final as (
    select
        cast(source.snapshot_date as date) as snapshot_date,
        source.customer_id,
        source.country,
        source.segment,
        source.count_orders,
        source.lifetime_revenue_usd,
        source.first_order_at,
        source.last_order_at
    from source
    inner join latest on source.snapshot_date = latest.snapshot_date
)

select
    snapshot_date,
    customer_id,
    country,
    segment,
    count_orders,
    lifetime_revenue_usd,
    first_order_at,
    last_order_at
from final
order by customer_id
