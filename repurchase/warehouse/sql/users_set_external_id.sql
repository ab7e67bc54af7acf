-- users_set_external_id: link a user to a company account, or unlink (null).
-- params: $external_id VARCHAR, $username VARCHAR
update users set external_id = $external_id
where username = $username
