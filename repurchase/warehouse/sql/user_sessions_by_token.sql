-- user_sessions_by_token: a session not ended whose user is enabled (expiry is checked in
-- Python, against the caller's clock).
-- params: $token_hash VARCHAR
-- returns: username, expires_at, last_seen_at
select
    s.username,
    s.expires_at,
    s.last_seen_at
from user_sessions as s
inner join users as u using (username)
where s.token_hash = $token_hash
    and s.revoked_at is null
    and u.disabled_at is null
