-- No business key (the gold contracts' business_key) appears twice in what this run
-- staged, per gold table.
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
        'daily_sales' as table_name,
        count(*) - count(distinct order_date || '|' || country || '|' || status) as duplicates
    from ops.staged_daily_sales
    where run_id = (select run_id from params)
    union all
    select
        'weekly_sales' as table_name,
        count(*) - count(distinct iso_week || '|' || country || '|' || status) as duplicates
    from ops.staged_weekly_sales
    where run_id = (select run_id from params)
    union all
    select
        'monthly_sales' as table_name,
        count(*) - count(distinct order_month || '|' || country || '|' || status) as duplicates
    from ops.staged_monthly_sales
    where run_id = (select run_id from params)
    union all
    select
        'order_status_daily' as table_name,
        count(*) - count(distinct order_date || '|' || status) as duplicates
    from ops.staged_order_status_daily
    where run_id = (select run_id from params)
    union all
    select
        'fact_orders' as table_name,
        count(*) - count(distinct order_id) as duplicates
    from ops.staged_fact_orders
    where run_id = (select run_id from params)
    union all
    select
        'dim_customer' as table_name,
        coalesce(sum(k.copies - 1), 0) as duplicates
    from (
        select
            snapshot_date,
            customer_id,
            valid_from,
            count(*) as copies
        from ops.staged_dim_customer
        where run_id = (select run_id from params)
        group by snapshot_date, customer_id, valid_from
    ) as k
    union all
    select
        'customer_value' as table_name,
        count(*) - count(distinct snapshot_date || '|' || customer_id) as duplicates
    from ops.staged_customer_value
    where run_id = (select run_id from params)
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(sum(d.duplicates) <= max(p.threshold), false) as passed,
    cast(sum(d.duplicates) as double) as observed,
    max(p.threshold) as threshold,
    'duplicate keys staged: daily_sales '
    || cast(sum(case when d.table_name = 'daily_sales' then d.duplicates end) as varchar)
    || ', weekly_sales '
    || cast(sum(case when d.table_name = 'weekly_sales' then d.duplicates end) as varchar)
    || ', monthly_sales '
    || cast(sum(case when d.table_name = 'monthly_sales' then d.duplicates end) as varchar)
    || ', order_status_daily '
    || cast(sum(case when d.table_name = 'order_status_daily' then d.duplicates end) as varchar)
    || ', fact_orders '
    || cast(sum(case when d.table_name = 'fact_orders' then d.duplicates end) as varchar)
    || ', dim_customer '
    || cast(sum(case when d.table_name = 'dim_customer' then d.duplicates end) as varchar)
    || ', customer_value '
    || cast(sum(case when d.table_name = 'customer_value' then d.duplicates end) as varchar)
        as details
from duplicate_keys as d
cross join params as p
group by p.check_name, p.severity
