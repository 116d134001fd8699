-- Share of the run date's bronze rows that went to quarantine, over all entities.
-- (Per entity, a feed of six rows with one bad line would read as 17%; the overall
-- share is what a defect burst moves. The per-entity shares are in the details.)
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

counts as (
    select
        entity,
        sum(case when metric = 'bronze_rows' then value else 0 end) as bronze_rows,
        sum(case when metric = 'quarantined' then value else 0 end) as quarantined
    from ops.job_metrics
    where
        run_date = (select run_date from params)
        and layer = 'silver'
    group by entity
),

shares as (
    select
        entity,
        quarantined,
        bronze_rows,
        case
            when bronze_rows = 0 then 0.0
            else cast(quarantined as double) / bronze_rows
        end as share
    from counts
),

overall as (
    select
        case
            when coalesce(sum(bronze_rows), 0) = 0 then 0.0
            else cast(sum(quarantined) as double) / sum(bronze_rows)
        end as share,
        'customers '
        || coalesce(
            cast(
                cast(max(case when entity = 'customers' then share end) as decimal(5, 4)) as varchar
            ),
            '-'
        )
        || ', orders '
        || coalesce(
            cast(
                cast(max(case when entity = 'orders' then share end) as decimal(5, 4)) as varchar
            ),
            '-'
        )
        || ', fx_rates '
        || coalesce(
            cast(
                cast(max(case when entity = 'fx_rates' then share end) as decimal(5, 4)) as varchar
            ),
            '-'
        ) as per_entity
    from shares
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(o.share <= p.threshold, false) as passed,
    o.share as observed,
    p.threshold,
    'quarantined share of bronze rows: ' || o.per_entity as details
from overall as o
cross join params as p
