-- mail_outbox_message: one queued mail as it is (or was) sent.
-- params: $mail_key VARCHAR
-- returns: mail_id, recipient, language, subject, body_text, body_html, status, attempts
select
    mail_id,
    recipient,
    language,
    subject,
    body_text,
    body_html,
    status,
    attempts
from mail_outbox
where mail_key = $mail_key
