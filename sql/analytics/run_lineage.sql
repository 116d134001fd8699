-- Lineage of one run date (execution parameter: the run date as text, 'YYYY-MM-DD'):
-- per source entity, the raw data lines landed, the bronze rows written and the silver
-- rows accepted and quarantined (unaccounted = bronze - accepted - quarantined: 0 when
-- no row was lost); per gold table, the rows the run staged, and for daily_sales the
-- order dates and orders it staged. Counts come from ops.job_metrics (a rerun replaces
-- a job's counts, so they are the latest run's), the staged order dates and orders from
-- ops.staged_daily_sales under that run's id.
with params as (
    select ? as run_date
),

source as (
    select
        run_id,
        layer,
        entity,
        metric,
        detail,
        value
    from ops.job_metrics
    where run_date = (select run_date from params)
),

entities as (
    select
        max(run_id) as run_id,
        entity,
        sum(case when layer = 'bronze' and metric = 'raw_data_lines' then value end)
            as count_raw_lines,
        sum(case when layer = 'bronze' and metric = 'bronze_rows' then value end)
            as count_bronze_rows,
        sum(case when layer = 'silver' and metric = 'accepted' then value end)
            as count_accepted_rows,
        sum(case when layer = 'silver' and metric = 'quarantined' then value end)
            as count_quarantined_rows
    from source
    where layer in ('bronze', 'silver')
    group by entity
),

gold_tables as (
    select
        run_id,
        detail as gold_table,
        value as count_staged_rows
    from source
    where
        layer = 'gold'
        and metric = 'rows_staged'
),

staged_sales as (
    select
        staged.run_id,
        count(distinct staged.order_date) as count_staged_order_dates,
        sum(staged.count_orders) as count_staged_orders
    from ops.staged_daily_sales as staged
    where staged.run_id in (select gold_tables.run_id from gold_tables)
    group by staged.run_id
),

entity_lineage as (
    select
        run_id,
        'source' as kind,
        entity as dataset,
        count_raw_lines,
        count_bronze_rows,
        count_accepted_rows,
        count_quarantined_rows,
        count_bronze_rows - count_accepted_rows - count_quarantined_rows
            as count_unaccounted_rows,
        cast(null as bigint) as count_staged_rows,
        cast(null as bigint) as count_staged_order_dates,
        cast(null as bigint) as count_staged_orders
    from entities
),

gold_lineage as (
    select
        g.run_id,
        'gold' as kind,
        g.gold_table as dataset,
        cast(null as bigint) as count_raw_lines,
        cast(null as bigint) as count_bronze_rows,
        cast(null as bigint) as count_accepted_rows,
        cast(null as bigint) as count_quarantined_rows,
        cast(null as bigint) as count_unaccounted_rows,
        g.count_staged_rows,
        case
            when g.gold_table = 'daily_sales' then coalesce(s.count_staged_order_dates, 0)
        end as count_staged_order_dates,
        case
            when g.gold_table = 'daily_sales' then coalesce(s.count_staged_orders, 0)
        end as count_staged_orders
    from gold_tables as g
    left join staged_sales as s on g.run_id = s.run_id
),

final as (
    select * from entity_lineage
    union all
    select * from gold_lineage
)

select
    cast(params.run_date as date) as run_date,
    final.run_id,
    final.kind,
    final.dataset,
    final.count_raw_lines,
    final.count_bronze_rows,
    final.count_accepted_rows,
    final.count_quarantined_rows,
    final.count_unaccounted_rows,
    final.count_staged_rows,
    final.count_staged_order_dates,
    final.count_staged_orders
from final
cross join params
order by case when final.kind = 'source' then 0 else 1 end, final.dataset
