-- users_set_role: another role and scope (rep_id for a rep, team for a manager, else null).
-- params: $role VARCHAR, $rep_id VARCHAR, $team VARCHAR, $username VARCHAR
update users set
    role = $role,
    rep_id = $rep_id,
    team = $team
where username = $username
