-- No business key appears more than once in silver current state.
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

duplicate_keys as (
    select
        'customers' as entity,
        count(*) - count(distinct customer_id) as duplicates
    from silver.customers
    union all
    select
        'orders' as entity,
        count(*) - count(distinct order_id) as duplicates
    from silver.orders
    union all
    select
        'fx_rates' as entity,
        count(*) - count(distinct cast(rate_date as varchar) || '|' || currency) as duplicates
    from silver.fx_rates
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(sum(d.duplicates) <= max(p.threshold), false) as passed,
    cast(sum(d.duplicates) as double) as observed,
    max(p.threshold) as threshold,
    'duplicate keys: customers '
    || cast(sum(case when d.entity = 'customers' then d.duplicates end) as varchar)
    || ', orders '
    || cast(sum(case when d.entity = 'orders' then d.duplicates end) as varchar)
    || ', fx_rates '
    || cast(sum(case when d.entity = 'fx_rates' then d.duplicates end) as varchar)
        as details
from duplicate_keys as d
cross join params as p
group by p.check_name, p.severity
