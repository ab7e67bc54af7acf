-- account_rep_exists: a row if there is a rep with this id (a rep user's scope).
-- params: $rep_id VARCHAR
-- returns: 1
select 1
from reps
where rep_id = $rep_id
