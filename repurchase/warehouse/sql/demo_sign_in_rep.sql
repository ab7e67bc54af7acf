-- demo_sign_in_rep: the rep the demo's `rep` account signs in as: a current junior rep who
-- has had a few months (120 days) to build a history, else the newest junior.
-- params: none
-- returns: rep_id, name, team (one row)
select
    rep_id,
    name,
    team
from reps
where left_date is null
    and level = 'junior'
order by
    hire_date <= current_date - interval 120 day desc,
    hire_date desc,
    rep_id
limit 1
