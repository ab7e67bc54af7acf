-- mail_outbox_expire: queued mails past their use (yesterday's list) are not sent any more.
-- params: $now TIMESTAMP
-- returns: the number of rows changed
update mail_outbox set status = 'expired'
where status = 'pending'
    and expires_at <= $now
