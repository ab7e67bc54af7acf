-- demo_other_admins: how many admin accounts are not the demo's (they survive its removal).
-- params: none
-- returns: admins BIGINT
select
    count(*) as admins
from users
where role = 'admin' and not is_demo
