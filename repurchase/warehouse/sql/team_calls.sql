-- team_calls: per rep, the calls they made in [$first, $last]: every visit they logged or
-- imported, whatever came of it (a call that found nobody is a call made), on or off the list.
-- params: $reps VARCHAR[], $first DATE, $last DATE
-- returns: rep_id, calls
select
    rep_id,
    count(*) as calls
from visits
where list_contains($reps, rep_id)
    and visited_at >= cast($first as timestamp)
    and visited_at < cast($last as timestamp) + interval 1 day
group by rep_id
