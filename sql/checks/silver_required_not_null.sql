-- Required contract columns are never null in silver (tests keep this list in step
-- with the contracts' required columns).
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

nulls as (
    select
        'customers' as entity,
        count_if(
            customer_id is null or email_token is null or country is null or segment is null
            or created_at is null or updated_at is null
        ) as null_rows
    from silver.customers
    union all
    select
        'orders' as entity,
        count_if(
            order_id is null or customer_id is null or status is null or amount is null
            or currency is null or ordered_at is null or updated_at is null
        ) as null_rows
    from silver.orders
    union all
    select
        'fx_rates' as entity,
        count_if(rate_date is null or currency is null or usd_rate is null) as null_rows
    from silver.fx_rates
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(sum(n.null_rows) <= max(p.threshold), false) as passed,
    cast(sum(n.null_rows) as double) as observed,
    max(p.threshold) as threshold,
    'rows with a null required column: customers '
    || cast(sum(case when n.entity = 'customers' then n.null_rows end) as varchar)
    || ', orders '
    || cast(sum(case when n.entity = 'orders' then n.null_rows end) as varchar)
    || ', fx_rates '
    || cast(sum(case when n.entity = 'fx_rates' then n.null_rows end) as varchar)
        as details
from nulls as n
cross join params as p
group by p.check_name, p.severity
