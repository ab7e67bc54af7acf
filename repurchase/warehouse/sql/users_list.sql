-- users_list: every user, for the Users page and `users list`.
-- params: none
-- returns: username, display_name, role, rep_id, team, active, last_login_at, demo, external_id
select
    username,
    display_name,
    role,
    rep_id,
    team,
    disabled_at is null as active,
    last_login_at,
    is_demo as demo,
    external_id
from users
order by username
