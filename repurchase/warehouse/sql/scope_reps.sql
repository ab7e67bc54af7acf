-- scope_reps: the reps a signed-in user may see: a rep only themself, a manager their team
-- (former members included, their visits are history), an admin everyone.
-- params: $role VARCHAR, $rep_id VARCHAR, $team VARCHAR
-- returns: rep_id, name, team, level, gender, hire_date, left_date
select
    rep_id,
    name,
    team,
    level,
    gender,
    hire_date,
    left_date
from reps
where ($role = 'admin')
    or ($role = 'manager' and team = $team)
    or ($role = 'rep' and rep_id = $rep_id)
order by left_date is not null, rep_id
