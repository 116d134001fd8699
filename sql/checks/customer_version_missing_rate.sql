-- Orders this run staged in fact_orders with no customer version valid at order time
-- (customer_valid_from NULL: a customer never seen, or an order older than the
-- customer's first version). They count in the sales tables under the customer's first
-- known country or UNKNOWN; it warns, as customers can arrive late.
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

rate as (
    select
        count(*) as count_orders,
        count_if(customer_valid_from is null) as count_missing,
        case
            when count(*) = 0 then 0.0
            else cast(count_if(customer_valid_from is null) as double) / count(*)
        end as missing_share
    from ops.staged_fact_orders
    where run_id = (select run_id from params)
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(r.missing_share <= p.threshold, false) as passed,
    r.missing_share as observed,
    p.threshold,
    cast(r.count_missing as varchar) || ' of ' || cast(r.count_orders as varchar)
    || ' staged orders have no customer version valid at order time' as details
from rate as r
cross join params as p
