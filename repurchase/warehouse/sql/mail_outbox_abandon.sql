-- mail_outbox_abandon: mails a process began to send and never recorded (it was killed, or
-- the warehouse stayed busy) may have been delivered: they are marked failed, never sent again.
-- params: $before TIMESTAMP, $error VARCHAR
-- returns: the number of rows changed
update mail_outbox set status = 'failed', last_error = $error
where status = 'sending'
    and last_attempt_at < $before
