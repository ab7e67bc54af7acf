-- users_other_active_admins: how many active admins there are besides this user.
-- params: $username VARCHAR
-- returns: count
select count(*)
from users
where role = 'admin'
    and disabled_at is null
    and username != $username
