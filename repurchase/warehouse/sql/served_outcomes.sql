-- served_outcomes: scores served between $first and $last whose horizon has fully passed
-- (by the last event in the warehouse), with whether the customer then ordered within it.
-- params: $first DATE, $last DATE
-- returns: score_date, customer_id, model_version, p_order, p_raw, horizon_days, ordered
select
    s.score_date,
    s.customer_id,
    s.model_version,
    s.p_order,
    s.p_raw,
    s.horizon_days,
    exists (
        select 1
        from purchase_days as p
        where p.customer_id = s.customer_id
            and p.day >= s.score_date
            and p.day < s.score_date + to_days(s.horizon_days)
    ) as ordered
from scores as s, observed_until as o
where s.score_date between $first and $last
    and s.score_date + to_days(s.horizon_days) <= o.last_day + interval 1 day
order by s.score_date, s.customer_id
