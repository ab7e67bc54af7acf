-- users_create: store a new user (users.create checks the name is free first).
-- params: $username VARCHAR, $display_name VARCHAR, $password_hash VARCHAR (null: company
--   sign-in only), $role VARCHAR, $rep_id VARCHAR, $team VARCHAR, $is_demo BOOLEAN,
--   $external_id VARCHAR
insert into users (
    username,
    display_name,
    password_hash,
    role,
    rep_id,
    team,
    is_demo,
    external_id
)
values (
    $username,
    $display_name,
    $password_hash,
    $role,
    $rep_id,
    $team,
    $is_demo,
    $external_id
)
