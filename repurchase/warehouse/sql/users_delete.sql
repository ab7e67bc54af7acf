-- users_delete: remove a user (their visits keep the name as who entered them).
-- params: $username VARCHAR
delete from users
where username = $username
