-- user_sessions_live_counts: sessions live now per user (not ended, not expired, not idle).
-- params: $now TIMESTAMP, $idle TIMESTAMP (sessions last seen before it are idle)
-- returns: username, sessions, last_seen_at
select
    username,
    count(*) as sessions,
    max(last_seen_at) as last_seen_at
from user_sessions
where revoked_at is null
    and expires_at > $now
    and last_seen_at > $idle
group by username
