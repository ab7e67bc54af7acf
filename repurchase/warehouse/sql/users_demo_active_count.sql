-- users_demo_active_count: how many of the demo's accounts (public password) can sign in.
-- params: none
-- returns: count
select count(*)
from users
where is_demo
    and disabled_at is null
