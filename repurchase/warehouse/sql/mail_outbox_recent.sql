-- mail_outbox_recent: the latest mails, newest first, for the admins' send log (no bodies).
-- params: $limit INTEGER
-- returns: mail_id, kind, username, recipient, period, language, status, attempts, queued_at,
--          last_attempt_at, sent_at, next_attempt_at, last_error
select
    mail_id,
    kind,
    username,
    recipient,
    period,
    language,
    status,
    attempts,
    queued_at,
    last_attempt_at,
    sent_at,
    next_attempt_at,
    last_error
from mail_outbox
order by
    queued_at desc,
    mail_id desc
limit $limit
