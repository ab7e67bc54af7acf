-- mail_outbox_due: the queued mails whose (next) attempt is due and that are still of use,
-- oldest first.
-- params: $now TIMESTAMP, $limit INTEGER
-- returns: mail_id, mail_key, kind, username, recipient, subject, body_text, body_html,
--          attempts
select
    mail_id,
    mail_key,
    kind,
    username,
    recipient,
    subject,
    body_text,
    body_html,
    attempts
from mail_outbox
where status = 'pending'
    and next_attempt_at <= $now
    and expires_at > $now
order by
    queued_at,
    mail_id
limit $limit
