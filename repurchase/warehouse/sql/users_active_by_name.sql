-- users_active_by_name: a user as stored now, unless disabled.
-- params: $username VARCHAR
-- returns: username, display_name, role, rep_id, team
select
    username,
    display_name,
    role,
    rep_id,
    team
from users
where username = $username
    and disabled_at is null
