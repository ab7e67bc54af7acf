-- user_sessions_end_all: end every live session of a user but the one kept ('' : none).
-- params: $now TIMESTAMP, $why VARCHAR, $username VARCHAR, $keep VARCHAR (a token hash)
update user_sessions set
    revoked_at = $now,
    revoked_why = $why
where username = $username
    and revoked_at is null
    and token_hash != $keep
