-- user_sessions_touch: mark a session used now.
-- params: $now TIMESTAMP, $token_hash VARCHAR
update user_sessions set last_seen_at = $now
where token_hash = $token_hash
