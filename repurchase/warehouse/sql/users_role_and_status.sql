-- users_role_and_status: a user's role and when they were disabled (null: active).
-- params: $username VARCHAR
-- returns: role, disabled_at
select
    role,
    disabled_at
from users
where username = $username
