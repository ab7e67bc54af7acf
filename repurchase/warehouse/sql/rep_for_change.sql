-- rep_for_change: a rep who may receive customers: their team ('' without one) and whether
-- they still work (left_date).
-- params: $rep_id VARCHAR
-- returns: rep_id, name, team, left_date
select
    rep_id,
    name,
    coalesce(team, '') as team,
    left_date
from reps
where rep_id = $rep_id
