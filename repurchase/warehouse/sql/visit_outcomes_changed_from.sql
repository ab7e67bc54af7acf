-- visit_outcomes_changed_from: the earliest visit day of the entries made between $since and
-- $cutoff (today's visits, backdated ones, imports): the nightly job rebuilds from there.
-- params: $since TIMESTAMP, $cutoff TIMESTAMP
-- returns: first_day (null when there were no entries)
select min(cast(visited_at as date)) as first_day
from visits
where entered_at >= $since
    and entered_at < $cutoff
