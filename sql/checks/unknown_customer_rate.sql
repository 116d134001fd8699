-- Orders this run changed whose customer is not in silver customers: a referential
-- hint (customers can arrive late), so it warns rather than blocks.
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

changed_orders as (
    select
        o.order_id,
        c.customer_id is not null as has_known_customer
    from silver.orders as o
    left join silver.customers as c on o.customer_id = c.customer_id
    where o."_run_id" = (select run_id from params)
),

rate as (
    select
        count(*) as count_orders,
        count_if(not has_known_customer) as count_unknown,
        case
            when count(*) = 0 then 0.0
            else cast(count_if(not has_known_customer) as double) / count(*)
        end as unknown_share
    from changed_orders
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(r.unknown_share <= p.threshold, false) as passed,
    r.unknown_share as observed,
    p.threshold,
    cast(r.count_unknown as varchar) || ' of ' || cast(r.count_orders as varchar)
    || ' orders changed by this run reference an unknown customer' as details
from rate as r
cross join params as p
