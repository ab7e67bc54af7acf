-- mail_outbox_failed: an attempt failed: tried again from $next_attempt_at (status pending),
-- or given up (status failed).
-- params: $mail_id BIGINT, $status VARCHAR, $next_attempt_at TIMESTAMP, $error VARCHAR
-- returns: nothing
update mail_outbox set
    status = $status,
    next_attempt_at = $next_attempt_at,
    last_error = $error
where mail_id = $mail_id
