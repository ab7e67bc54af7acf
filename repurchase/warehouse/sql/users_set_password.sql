-- users_set_password: a new password; the account is no longer one of the demo's (whose
-- password is public).
-- params: $password_hash VARCHAR, $username VARCHAR
update users set
    password_hash = $password_hash,
    is_demo = false
where username = $username
