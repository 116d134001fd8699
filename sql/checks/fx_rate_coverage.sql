-- Share of this run's staged orders that found no FX rate for their date or the
-- look-back window before it (counted in daily_sales, excluded from revenue).
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
        coalesce(sum(count_orders_missing_fx), 0) as count_missing_fx,
        coalesce(sum(count_orders), 0) as count_orders,
        case
            when coalesce(sum(count_orders), 0) = 0 then 0.0
            else cast(sum(count_orders_missing_fx) as double) / sum(count_orders)
        end as missing_share
    from ops.staged_daily_sales
    where run_id = (select run_id from params)
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(s.missing_share <= p.threshold, false) as passed,
    s.missing_share as observed,
    p.threshold,
    cast(s.count_missing_fx as varchar) || ' of ' || cast(s.count_orders as varchar)
    || ' staged orders have no FX rate for their date or the 7 days before' as details
from staged as s
cross join params as p
