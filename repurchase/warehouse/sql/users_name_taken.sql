-- users_name_taken: a row if a user (active or disabled) has this name.
-- params: $username VARCHAR
-- returns: 1
select 1
from users
where username = $username
