-- users_rehash_password: a stored hash made with older argon2 settings, replaced at sign-in.
-- params: $password_hash VARCHAR, $username VARCHAR
update users set password_hash = $password_hash
where username = $username
