-- user_sessions_drop_ended: forget sessions that ended (expired or revoked) before $old.
-- params: $old TIMESTAMP
delete from user_sessions
where least(expires_at, coalesce(revoked_at, expires_at)) < $old
