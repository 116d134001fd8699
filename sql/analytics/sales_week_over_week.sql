-- Weekly sales with the week before: orders and revenue in USD per ISO week (Monday
-- start) of order date, from the published gold.daily_sales, next to the previous
-- calendar week's figures and the change. A week with no sales compares with zero;
-- count_order_dates shows partial weeks (fewer than 7 order dates with sales).
with source as (
    select
        cast(order_date as date) as order_date,
        count_orders,
        revenue_usd
    from gold.daily_sales
),

weekly as (
    select
        date_trunc('week', order_date) as week_start_date,
        count(distinct order_date) as count_order_dates,
        sum(count_orders) as count_orders,
        sum(revenue_usd) as revenue_usd
    from source
    group by date_trunc('week', order_date)
),

compared as (
    select
        this_week.week_start_date,
        this_week.count_order_dates,
        this_week.count_orders,
        this_week.revenue_usd,
        coalesce(previous_week.count_orders, 0) as previous_week_count_orders,
        coalesce(previous_week.revenue_usd, 0) as previous_week_revenue_usd
    from weekly as this_week
    left join weekly as previous_week
        on previous_week.week_start_date = date_add('day', -7, this_week.week_start_date)
),

final as (
    select
        cast(week_start_date as date) as week_start_date,
        count_order_dates,
        count_orders,
        revenue_usd,
        previous_week_count_orders,
        previous_week_revenue_usd,
        count_orders - previous_week_count_orders as count_orders_change,
        revenue_usd - previous_week_revenue_usd as revenue_usd_change,
        case
            when previous_week_revenue_usd = 0 then null
            else round(
                100 * cast(revenue_usd - previous_week_revenue_usd as double)
                / cast(previous_week_revenue_usd as double),
                2
            )
        end as revenue_change_pct
    from compared
)

select
    week_start_date,
    count_order_dates,
    count_orders,
    revenue_usd,
    previous_week_count_orders,
    previous_week_revenue_usd,
    count_orders_change,
    revenue_usd_change,
    revenue_change_pct
from final
order by week_start_date
