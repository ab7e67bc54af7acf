-- users_by_external_id: the user linked to a company account, disabled or not.
-- params: $external_id VARCHAR
-- returns: username, display_name, role, rep_id, team, disabled
select
    username,
    display_name,
    role,
    rep_id,
    team,
    disabled_at is not null as disabled
from users
where external_id = $external_id
