-- Data-quality trend: per run date and source entity, how many bronze rows the
-- silver job read, how many it quarantined, and the quarantined share (0 when the
-- feed was empty). The quarantine_rate check gates on the same counts summed over
-- all entities of a run date.
with source as (
    select
        run_date,
        entity,
        metric,
        value
    from ops.job_metrics
    where
        layer = 'silver'
        and metric in ('bronze_rows', 'quarantined')
),

counts as (
    select
        run_date,
        entity,
        sum(case when metric = 'bronze_rows' then value else 0 end) as count_bronze_rows,
        sum(case when metric = 'quarantined' then value else 0 end) as count_quarantined_rows
    from source
    group by run_date, entity
),

final as (
    select
        cast(run_date as date) as run_date,
        entity,
        count_bronze_rows,
        count_quarantined_rows,
        case
            when count_bronze_rows = 0 then 0.0
            else cast(count_quarantined_rows as double) / count_bronze_rows
        end as quarantined_share
    from counts
)

select
    run_date,
    entity,
    count_bronze_rows,
    count_quarantined_rows,
    quarantined_share
from final
order by run_date, entity
