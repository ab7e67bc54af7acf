-- users_for_password_sign_in: what a password sign-in checks, disabled users included (they
-- are told so after the right password).
-- params: $username VARCHAR
-- returns: username, display_name, password_hash, role, rep_id, team, disabled_at
select
    username,
    display_name,
    password_hash,
    role,
    rep_id,
    team,
    disabled_at
from users
where username = $username
