-- mail_outbox_insert: queue one mail (the caller checked its key is new; the unique key
-- refuses a second one queued at the same moment by another process).
-- params: $mail_id BIGINT, $mail_key VARCHAR, $kind VARCHAR, $username VARCHAR, $period DATE,
--         $recipient VARCHAR, $language VARCHAR, $subject VARCHAR, $body_text VARCHAR,
--         $body_html VARCHAR, $now TIMESTAMP, $expires_at TIMESTAMP
-- returns: nothing
insert into mail_outbox (
    mail_id,
    mail_key,
    kind,
    username,
    period,
    recipient,
    language,
    subject,
    body_text,
    body_html,
    status,
    attempts,
    queued_at,
    next_attempt_at,
    expires_at
)
values (
    $mail_id,
    $mail_key,
    $kind,
    $username,
    $period,
    $recipient,
    $language,
    $subject,
    $body_text,
    $body_html,
    'pending',
    0,
    $now,
    $now,
    $expires_at
)
