-- Monthly sales per customer segment at order time: every published order in
-- gold.fact_orders joined to the dim_customer version that was valid when it was placed
-- (customer_id and customer_valid_from = valid_from, in the latest dimension snapshot),
-- so a customer who changed segment counts in the old one for older orders. Orders and
-- revenue in USD cover every status, as in gold.monthly_sales (they add up to it per
-- month); orders with no customer version valid at order time are segment 'unknown'.
with source as (
    select
        substring(order_date, 1, 7) as order_month,
        customer_id,
        customer_valid_from,
        amount_usd
    from gold.fact_orders
),

latest as (
    select max(snapshot_date) as snapshot_date
    from gold.dim_customer
),

customer_versions as (
    select
        d.customer_id,
        d.valid_from,
        d.segment
    from gold.dim_customer as d
    inner join latest on d.snapshot_date = latest.snapshot_date
),

joined as (
    select
        source.order_month,
        coalesce(v.segment, 'unknown') as segment,
        source.amount_usd
    from source
    left join customer_versions as v
        on
            source.customer_id = v.customer_id
            and source.customer_valid_from = v.valid_from
),

final as (
    select
        order_month,
        segment,
        count(*) as count_orders,
        coalesce(sum(amount_usd), 0) as revenue_usd,
        count_if(amount_usd is null) as count_orders_missing_fx
    from joined
    group by order_month, segment
)

select
    order_month,
    segment,
    count_orders,
    revenue_usd,
    count_orders_missing_fx
from final
order by order_month, segment
