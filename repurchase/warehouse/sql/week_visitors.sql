-- week_visitors: for each week (Monday) between $first and $last, the customers visited that
-- week and the rep who visited each most often (the backtest's list owner for that week).
-- params: $first DATE, $last DATE (Mondays)
-- returns: week, customer_id, rep_id
with week_visits as (
    select
        cast(date_trunc('week', visited_at) as date) as week,
        customer_id,
        rep_id,
        count(*) as visits,
        min(visited_at) as first_visit
    from visits
    where visited_at >= $first
        and visited_at < $last + interval 7 day
    group by all
)

select
    week,
    customer_id,
    arg_max(rep_id, visits * 1e9 - epoch(first_visit)) as rep_id
from week_visits
group by week, customer_id
order by week, customer_id
