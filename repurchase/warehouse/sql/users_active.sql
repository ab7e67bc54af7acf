-- users_active: every user as stored now, except the disabled.
-- params: none
-- returns: username, display_name, role, rep_id, team
select
    username,
    display_name,
    role,
    rep_id,
    team
from users
where disabled_at is null
