-- Referential integrity from fact_orders to dim_customer: every staged order with a
-- customer key (customer_id, customer_valid_from) finds that version in the customer
-- dimension this run staged (dim_customer's key is customer_id, valid_from). It warns:
-- a rerun of an old date builds the fact from every customer change known now and the
-- dimension as of the date, so a late-arriving change can be in one and not the other.
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

keyed as (
    select
        f.order_id,
        f.customer_id,
        f.customer_valid_from
    from ops.staged_fact_orders as f
    where
        f.run_id = (select run_id from params)
        and f.customer_valid_from is not null
),

dimension as (
    select
        d.customer_id,
        d.valid_from
    from ops.staged_dim_customer as d
    where
        d.run_id = (select run_id from params)
        and d.snapshot_date = (select run_date from params)
),

dangling as (
    select count(*) as count_dangling
    from keyed as k
    left join dimension as d
        on k.customer_id = d.customer_id and k.customer_valid_from = d.valid_from
    where d.customer_id is null
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(x.count_dangling <= p.threshold, false) as passed,
    cast(x.count_dangling as double) as observed,
    p.threshold,
    cast(x.count_dangling as varchar) || ' of ' || cast((select count(*) from keyed) as varchar)
    || ' staged orders with a customer key find no such dim_customer version' as details
from dangling as x
cross join params as p
