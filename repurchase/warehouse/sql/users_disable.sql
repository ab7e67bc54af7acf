-- users_disable: the user can no longer sign in (an earlier disable time is kept).
-- params: $now TIMESTAMP, $username VARCHAR
update users set disabled_at = coalesce(disabled_at, $now)
where username = $username
