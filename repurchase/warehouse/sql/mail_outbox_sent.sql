-- mail_outbox_sent: the server accepted the mail.
-- params: $mail_id BIGINT, $now TIMESTAMP
-- returns: nothing
update mail_outbox set
    status = 'sent',
    sent_at = $now,
    last_error = null
where mail_id = $mail_id
