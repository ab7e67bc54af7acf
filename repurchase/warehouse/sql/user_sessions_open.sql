-- user_sessions_open: a new session (only the token's hash is stored).
-- params: $token_hash VARCHAR, $username VARCHAR, $now TIMESTAMP, $expires_at TIMESTAMP,
--   $client VARCHAR, $sign_in_key VARCHAR (null: a password sign-in)
insert into user_sessions (
    token_hash,
    username,
    created_at,
    last_seen_at,
    expires_at,
    client,
    sign_in_key
)
values (
    $token_hash,
    $username,
    $now,
    $now,
    $expires_at,
    $client,
    $sign_in_key
)
