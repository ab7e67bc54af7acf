-- demo_remove_accounts: the demo's accounts, whose sessions end before they go.
-- params: none
-- returns: username
select
    username
from users
where is_demo
