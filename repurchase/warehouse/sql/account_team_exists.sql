-- account_team_exists: a row if some rep is in this team (a manager user's scope).
-- params: $team VARCHAR
-- returns: 1
select 1
from reps
where team = $team
