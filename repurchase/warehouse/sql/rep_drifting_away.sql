-- rep_drifting_away: a rep's current customers flagged as drifting away by the day's scores
-- (the model of the rep's list that day, else the latest scored that day), highest churn
-- risk first, then the most value at stake.
-- $customer_ids are the rep's customers (rep_customer_ids, same transaction), named in the
-- reads of scores and visits so that PostgreSQL answers them from its indexes (point_reads.py).
-- params: $rep_id VARCHAR, $day DATE, $customer_ids VARCHAR list
-- returns: customer_id, customer_name, tag, contact_name, contact_phone, churn_risk,
--          expected_value, typical_order, last_visit_at, days_since_visit
with day_version as (
    select coalesce(
        (
            select any_value(model_version)
            from call_lists
            where rep_id = $rep_id
                and list_date = $day
        ),
        (
            select arg_max(model_version, created_at)
            from scores
            where score_date = $day
                and customer_id in ($customer_ids)
        )
    ) as model_version
),

flagged as (
    select
        s.customer_id,
        s.churn_risk,
        s.expected_value,
        s.typical_order
    from scores as s
    inner join day_version as d
        on d.model_version = s.model_version
    inner join customers as c
        on c.customer_id = s.customer_id
        and c.owner_rep_id = $rep_id
    where s.score_date = $day
        and s.customer_id in ($customer_ids)
        and s.at_risk
),

last_visit as (
    select
        v.customer_id,
        max(v.visited_at) as last_visit_at
    from visits as v
    inner join flagged as f
        on f.customer_id = v.customer_id
    where v.customer_id in ($customer_ids)
        and v.visited_at < cast($day as timestamp) + interval 1 day
    group by v.customer_id
)

select
    f.customer_id,
    c.name as customer_name,
    c.tag,
    c.contact_name,
    c.contact_phone,
    f.churn_risk,
    f.expected_value,
    f.typical_order,
    lv.last_visit_at,
    date_diff('day', cast(lv.last_visit_at as date), $day) as days_since_visit
from flagged as f
inner join customers as c
    on c.customer_id = f.customer_id
left join last_visit as lv
    on lv.customer_id = f.customer_id
order by f.churn_risk desc nulls last, f.expected_value desc nulls last, f.customer_id
