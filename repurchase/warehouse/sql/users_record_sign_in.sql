-- users_record_sign_in: when the user last signed in (a password or company sign-in).
-- params: $now TIMESTAMP, $username VARCHAR
update users set last_login_at = $now
where username = $username
