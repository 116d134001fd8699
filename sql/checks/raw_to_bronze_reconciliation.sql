-- Every raw data line of the run date (counted by the bronze job independently of
-- its parser) is a row in bronze.
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

raw_lines as (
    select
        entity,
        sum(value) as raw_lines
    from ops.job_metrics
    where
        run_date = (select run_date from params)
        and layer = 'bronze'
        and metric = 'raw_data_lines'
    group by entity
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

compared as (
    select
        b.entity,
        coalesce(r.raw_lines, 0) as raw_lines,
        b.bronze_rows,
        abs(coalesce(r.raw_lines, 0) - b.bronze_rows) as difference
    from bronze_rows as b
    left join raw_lines as r on b.entity = r.entity
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(sum(c.difference) <= max(p.threshold), false) as passed,
    cast(sum(c.difference) as double) as observed,
    max(p.threshold) as threshold,
    'raw lines vs bronze rows; customers '
    || cast(sum(case when c.entity = 'customers' then c.raw_lines end) as varchar)
    || '/'
    || cast(sum(case when c.entity = 'customers' then c.bronze_rows end) as varchar)
    || ', orders '
    || cast(sum(case when c.entity = 'orders' then c.raw_lines end) as varchar)
    || '/'
    || cast(sum(case when c.entity = 'orders' then c.bronze_rows end) as varchar)
    || ', fx_rates '
    || cast(sum(case when c.entity = 'fx_rates' then c.raw_lines end) as varchar)
    || '/'
    || cast(sum(case when c.entity = 'fx_rates' then c.bronze_rows end) as varchar)
        as details
from compared as c
cross join params as p
group by p.check_name, p.severity
