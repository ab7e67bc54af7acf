-- demo_remove_admins_left: how many admin accounts are left once the demo's are gone.
-- params: none
-- returns: admins BIGINT
select
    count(*) as admins
from users
where role = 'admin'
