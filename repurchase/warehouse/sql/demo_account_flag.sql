-- demo_account_flag: whether an account is one of the demo's (public password).
-- params: $username VARCHAR
-- returns: is_demo (no row for an unknown account)
select
    is_demo
from users
where username = $username
