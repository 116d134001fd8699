-- Every source entity delivered at least one landing file for the run date, unless
-- its contract allows an empty day (allow_empty_day, counted by the bronze job as
-- the metric empty_day_allowed): a date with no files is noticed, not published as
-- a normal day.
with params as (
    select
        ? as check_name,
        ? as severity,
        ? as run_date,
        ? as run_id,
        cast(? as double) as threshold
),

landing as (
    select
        entity,
        sum(case when metric = 'raw_files' then value end) as raw_files,
        sum(case when metric = 'empty_day_allowed' then value end) as empty_day_allowed
    from ops.job_metrics
    where
        run_date = (select run_date from params)
        and layer = 'bronze'
    group by entity
),

missing as (
    select entity
    from landing
    where
        coalesce(raw_files, 0) = 0
        and coalesce(empty_day_allowed, 0) = 0
)

select
    p.check_name,
    p.severity,
    -- NULL (nothing to compare, a missing value) never passes: a verdict is never NULL
    coalesce(count(m.entity) <= max(p.threshold), false) as passed,
    cast(count(m.entity) as double) as observed,
    max(p.threshold) as threshold,
    case
        when count(m.entity) = 0
            then 'every entity delivered landing files (or may skip a day)'
        else
            'no landing files for: '
            || array_join(
                array_sort(array_agg(m.entity) filter (where m.entity is not null)), ', '
            )
    end as details
from params as p
left join missing as m on true
group by p.check_name, p.severity
