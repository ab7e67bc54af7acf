-- users_set_email: set a user's e-mail address, or clear it (null).
-- params: $email VARCHAR, $username VARCHAR
-- returns: the number of rows changed
update users set email = $email
where username = $username
