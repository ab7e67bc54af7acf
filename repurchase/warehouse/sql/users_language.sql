-- users_language: the language a user last chose (null: never chose one).
-- params: $username VARCHAR
-- returns: language
select language
from users
where username = $username
