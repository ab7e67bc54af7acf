-- served_outcomes: scores served between $first and $last whose horizon has fully passed
-- (by the last event in the warehouse), with whether the customer then ordered within it.
-- params: $first DATE, $last DATE
-- returns: score_date, customer_id, model_version, p_order, p_raw, horizon_days, ordered
with observed_until as (
    select max(day) as last_day
    from (
        select max(order_date) as day from orders
        union all
        select max(cast(visited_at as date)) from visits
    )
),

purchases as (
    select customer_id, order_date as day from orders
    union
    select customer_id, cast(visited_at as date) from visits where result = 'order'
)

select
    s.score_date,
    s.customer_id,
    s.model_version,
    s.p_order,
    s.p_raw,
    s.horizon_days,
    exists (
        select 1
        from purchases as p
        where p.customer_id = s.customer_id
            and p.day >= s.score_date
            and p.day < s.score_date + to_days(s.horizon_days)
    ) as ordered
from scores as s, observed_until as o
where s.score_date between $first and $last
    and s.score_date + to_days(s.horizon_days) <= o.last_day + interval 1 day
order by s.score_date, s.customer_id
