-- bronze rows = silver accepted + quarantined, per entity, for the run date.
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

bronze_rows as (
    select
        'customers' as entity,
        count(*) as bronze_rows
    from bronze.customers
    where ingest_date = (select run_date from params)
    union all
    select
        'orders' as entity,
        count(*) as bronze_rows
    from bronze.orders
    where ingest_date = (select run_date from params)
    union all
    select
        'fx_rates' as entity,
        count(*) as bronze_rows
    from bronze.fx_rates
    where ingest_date = (select run_date from params)
),

quarantined as (
    select
        'customers' as entity,
        count(*) as quarantined
    from quarantine.customers
    where ingest_date = (select run_date from params)
    union all
    select
        'orders' as entity,
        count(*) as quarantined
    from quarantine.orders
    where ingest_date = (select run_date from params)
    union all
    select
        'fx_rates' as entity,
        count(*) as quarantined
    from quarantine.fx_rates
    where ingest_date = (select run_date from params)
),

accepted as (
    select
        entity,
        sum(value) as accepted
    from ops.job_metrics
    where
        run_date = (select run_date from params)
        and layer = 'silver'
        and metric = 'accepted'
    group by entity
),

compared as (
    select
        b.entity,
        abs(b.bronze_rows - coalesce(a.accepted, 0) - q.quarantined) as difference
    from bronze_rows as b
    inner join quarantined as q on b.entity = q.entity
    left join accepted as a on b.entity = a.entity
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(sum(c.difference) <= max(p.threshold), false) as passed,
    cast(sum(c.difference) as double) as observed,
    max(p.threshold) as threshold,
    'rows unaccounted for: customers '
    || cast(sum(case when c.entity = 'customers' then c.difference end) as varchar)
    || ', orders '
    || cast(sum(case when c.entity = 'orders' then c.difference end) as varchar)
    || ', fx_rates '
    || cast(sum(case when c.entity = 'fx_rates' then c.difference end) as varchar)
        as details
from compared as c
cross join params as p
group by p.check_name, p.severity
