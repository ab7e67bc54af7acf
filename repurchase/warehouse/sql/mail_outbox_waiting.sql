-- mail_outbox_waiting: how many mails wait to be sent (or were left sending): none means a
-- sender has nothing to do and writes nothing.
-- params: none
-- returns: waiting
select
    count(*) as waiting
from mail_outbox
where status in ('pending', 'sending')
