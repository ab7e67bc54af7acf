-- visit_outcomes_counts: on-list and off-list visits and successes between $first and $last, per
-- week (Monday), rep, method and the rep's tenure and age band on the visit day, for the reps in
-- $reps. Covered days come from visit_outcomes_daily; entries made since its cutoff on those days
-- and every entry on the days after it are counted live from visits, with visits_on_list.sql's
-- rule (on the rep's visible list on one of the 7 days up to the visit). The caller reads
-- visit_outcomes_coverage first and passes its bounds as constants, so that PostgreSQL gets
-- plain ranges on entered_at and visited_at it can answer with an index.
-- params: $first DATE, $last DATE, $table_last DATE (the last covered day to read, before
--         $first when none), $cutoff TIMESTAMP, $first_at TIMESTAMP ($first at 00:00),
--         $table_end_at TIMESTAMP (the day after $table_last at 00:00), $live_from_at TIMESTAMP
--         (the first day read wholly live, at 00:00), $end_at TIMESTAMP (the day after $last at
--         00:00), $lists_from DATE ($first - 6), $reps VARCHAR[]
-- returns: week, rep_id, team, level, gender, tenure, age, method, on_visits, on_successes,
--          off_visits, off_successes
with live_visits as (
    select
        visit_id,
        rep_id,
        customer_id,
        cast(visited_at as date) as day,
        method,
        result = 'order' as success
    from visits
    where entered_at >= $cutoff
        and visited_at >= $first_at
        and visited_at < $table_end_at
    union all
    select
        visit_id,
        rep_id,
        customer_id,
        cast(visited_at as date) as day,
        method,
        result = 'order' as success
    from visits
    where visited_at >= $live_from_at
        and visited_at < $end_at
),

listed as (
    select distinct v.visit_id
    from live_visits as v
    inner join call_lists as l
        on l.rep_id = v.rep_id
        and l.customer_id = v.customer_id
        and l.list_date between v.day - interval 6 day and v.day
        and not l.held_out
    where l.list_date >= $lists_from
        and l.list_date <= $last
),

live_counts as (
    select
        day,
        rep_id,
        method,
        count(*) filter (where on_list) as on_visits,
        count(*) filter (where on_list and success) as on_successes,
        count(*) filter (where not on_list) as off_visits,
        count(*) filter (where not on_list and success) as off_successes
    from (
        select
            v.*,
            v.visit_id in (select visit_id from listed) as on_list
        from live_visits as v
    )
    group by all
),

daily as (
    select
        day,
        rep_id,
        method,
        on_visits,
        on_successes,
        off_visits,
        off_successes
    from visit_outcomes_daily
    where day >= $first
        and day <= $table_last
    union all
    select
        day,
        rep_id,
        method,
        on_visits,
        on_successes,
        off_visits,
        off_successes
    from live_counts
),

with_reps as (
    select
        cast(date_trunc('week', d.day) as date) as week,
        d.rep_id,
        r.team,
        r.level,
        r.gender,
        date_diff('day', r.hire_date, d.day) / 365.25 as tenure_years,
        date_diff('day', r.birth_date, d.day) / 365.25 as age_years,
        d.method,
        d.on_visits,
        d.on_successes,
        d.off_visits,
        d.off_successes
    from daily as d
    inner join reps as r
        on r.rep_id = d.rep_id
    where list_contains($reps, d.rep_id)
)

-- the bands are evaluation/outcomes.py's TENURE_BANDS and AGE_BANDS: lower bound included
select
    week,
    rep_id,
    team,
    level,
    gender,
    case
        when tenure_years >= 0 and tenure_years < 1 then '< 1 y'
        when tenure_years >= 1 and tenure_years < 2 then '1-2 y'
        when tenure_years >= 2 then '> 2 y'
    end as tenure,
    case
        when age_years >= 0 and age_years < 26 then '21-25'
        when age_years >= 26 and age_years < 31 then '26-30'
        when age_years >= 31 then '> 30'
    end as age,
    method,
    cast(sum(on_visits) as bigint) as on_visits,
    cast(sum(on_successes) as bigint) as on_successes,
    cast(sum(off_visits) as bigint) as off_visits,
    cast(sum(off_successes) as bigint) as off_successes
from with_reps
group by all
order by week, rep_id, method, tenure, age
