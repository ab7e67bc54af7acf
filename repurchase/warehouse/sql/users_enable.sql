-- users_enable: a disabled user can sign in again.
-- params: $username VARCHAR
update users set disabled_at = null
where username = $username
