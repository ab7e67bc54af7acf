-- users_display_name: the name the app shows for a user.
-- params: $username VARCHAR
-- returns: display_name
select display_name
from users
where username = $username
