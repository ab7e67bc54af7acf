-- visits_on_list: every visit between $first and $last (dates, inclusive), whether the customer
-- was on that rep's visible list on any of the 7 days up to and including the visit day
-- (paper 4.3), whether it succeeded, and the rep's cohort on that day.
-- params: $first DATE, $last DATE
-- returns: visit_id, rep_id, customer_id, visit_day, method, team, level, gender,
--          tenure_years, age_years, success, on_list
with period_visits as (
    select
        visit_id,
        rep_id,
        customer_id,
        cast(visited_at as date) as visit_day,
        method,
        result = 'order' as success
    from visits
    -- the same days as `cast(visited_at as date) between $first and $last`, written on the
    -- column itself so that PostgreSQL gets the filter instead of sending every visit
    where visited_at >= cast($first as timestamp)
        and visited_at < cast($last as timestamp) + interval 1 day
),

listed as (
    select distinct v.visit_id
    from period_visits as v
    inner join call_lists as l
        on l.rep_id = v.rep_id
        and l.customer_id = v.customer_id
        and l.list_date between v.visit_day - interval 6 day and v.visit_day
        and not l.held_out
)

select
    v.visit_id,
    v.rep_id,
    v.customer_id,
    v.visit_day,
    v.method,
    r.team,
    r.level,
    r.gender,
    date_diff('day', r.hire_date, v.visit_day) / 365.25 as tenure_years,
    date_diff('day', r.birth_date, v.visit_day) / 365.25 as age_years,
    v.success,
    v.visit_id in (select visit_id from listed) as on_list
from period_visits as v
inner join reps as r
    on r.rep_id = v.rep_id
order by v.visit_id
