-- demo_admin_create: the importing admin's own account, created in the transaction that
-- removes the demo's.
-- params: $username VARCHAR, $display_name VARCHAR, $password_hash VARCHAR
-- returns: nothing
insert into users (username, display_name, password_hash, role, is_demo)
values ($username, $display_name, $password_hash, 'admin', false)
