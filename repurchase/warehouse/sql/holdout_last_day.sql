-- holdout_last_day: the last day any order or visit is recorded (observed_until's rule), among
-- those on or after $since; null when there is none. A range PostgreSQL answers from an index,
-- where observed_until sends every visit's date over to find its maximum.
-- params: $since DATE
-- returns: last_day
select max(day) as last_day
from (
    select max(order_date) as day
    from orders
    where order_date >= $since
    union all
    select max(cast(visited_at as date)) as day
    from visits
    where visited_at >= cast($since as timestamp)
) as last_days
