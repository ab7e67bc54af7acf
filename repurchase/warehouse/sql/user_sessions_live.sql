-- user_sessions_live: every session not ended whose user is enabled (expiry and idleness are
-- checked in Python, against the caller's clock), read once for all open pages of a server.
-- params: none
-- returns: token_hash, username, expires_at, last_seen_at
select
    s.token_hash,
    s.username,
    s.expires_at,
    s.last_seen_at
from user_sessions as s
inner join users as u using (username)
where s.revoked_at is null
    and u.disabled_at is null
