-- mail_outbox_keys: the mails already in the outbox for these keys (whatever their status:
-- a mail queued once is never queued again).
-- params: $keys VARCHAR[]
-- returns: mail_key
select mail_key
from mail_outbox
where list_contains($keys, mail_key)
