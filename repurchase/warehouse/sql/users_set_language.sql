-- users_set_language: remember the language a user chose.
-- params: $username VARCHAR, $language VARCHAR
-- returns: nothing
update users
set language = $language
where username = $username
