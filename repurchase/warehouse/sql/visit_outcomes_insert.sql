-- visit_outcomes_insert: the outcome counts of the days from $from through $through, of the
-- entries made before $cutoff, with visits_on_list.sql's rule (on the rep's visible list on one
-- of the 7 days up to the visit); visit_outcomes_counts.sql counts live visits the same way.
-- params: $through DATE, $from_at TIMESTAMP (the first day at 00:00), $end_at TIMESTAMP (the
--         day after $through at 00:00), $lists_from DATE (the first day - 6), $cutoff TIMESTAMP
-- returns: nothing
insert into visit_outcomes_daily (
    day,
    rep_id,
    method,
    on_visits,
    on_successes,
    off_visits,
    off_successes
)
with day_visits as (
    select
        visit_id,
        rep_id,
        customer_id,
        cast(visited_at as date) as day,
        method,
        result = 'order' as success
    from visits
    where visited_at >= $from_at
        and visited_at < $end_at
        and entered_at < $cutoff
),

listed as (
    select distinct v.visit_id
    from day_visits as v
    inner join call_lists as l
        on l.rep_id = v.rep_id
        and l.customer_id = v.customer_id
        and l.list_date between v.day - interval 6 day and v.day
        and not l.held_out
    where l.list_date >= $lists_from
        and l.list_date <= $through
),

flagged as (
    select
        v.*,
        v.visit_id in (select visit_id from listed) as on_list
    from day_visits as v
)

select
    day,
    rep_id,
    method,
    count(*) filter (where on_list) as on_visits,
    count(*) filter (where on_list and success) as on_successes,
    count(*) filter (where not on_list) as off_visits,
    count(*) filter (where not on_list and success) as off_successes
from flagged
group by all
