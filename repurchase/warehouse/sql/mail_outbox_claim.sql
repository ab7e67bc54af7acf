-- mail_outbox_claim: take one due mail for sending (one process only: a second one changes no
-- row), counting the attempt.
-- params: $mail_id BIGINT, $now TIMESTAMP
-- returns: the number of rows changed
update mail_outbox set
    status = 'sending',
    attempts = attempts + 1,
    last_attempt_at = $now
where mail_id = $mail_id
    and status = 'pending'
    and next_attempt_at <= $now
