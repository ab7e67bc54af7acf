-- demo_admin_delete: remove the account the importing admin names (it is created anew).
-- params: $username VARCHAR
-- returns: nothing
delete from users
where username = $username
