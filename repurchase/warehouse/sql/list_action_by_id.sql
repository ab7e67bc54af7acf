-- list_action_by_id: whose a skip or snooze is, the days it covers, and whether it was undone.
-- params: $action_id BIGINT
-- returns: rep_id, first_day, until_day, undone_at
select
    rep_id,
    first_day,
    until_day,
    undone_at
from list_actions
where action_id = $action_id
