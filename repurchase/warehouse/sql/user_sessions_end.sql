-- user_sessions_end: end one session (sign-out, expired, idle) unless it has ended already.
-- params: $now TIMESTAMP, $why VARCHAR, $token_hash VARCHAR
update user_sessions set
    revoked_at = $now,
    revoked_why = $why
where token_hash = $token_hash
    and revoked_at is null
