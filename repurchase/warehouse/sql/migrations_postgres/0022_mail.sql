-- 0022_mail: per-user address and opt-out, and the mail outbox (migrations/0022_mail.sql says
-- why). The same change in PostgreSQL's dialect.
alter table users add column email varchar collate "C";
alter table users add column email_opt_out boolean default false;

create sequence mail_id_seq start 1;

create table mail_outbox (
    mail_id          bigint primary key,
    mail_key         varchar collate "C" not null unique,
    kind             varchar collate "C" not null check (kind in ('morning', 'weekly')),
    username         varchar collate "C" not null,
    period           date not null,
    recipient        varchar collate "C" not null,
    language         varchar collate "C" not null,
    subject          text collate "C" not null,
    body_text        text collate "C" not null,
    body_html        text collate "C" not null,
    status           varchar collate "C" not null
        check (status in ('pending', 'sending', 'sent', 'failed', 'expired')),
    attempts         integer not null default 0,
    queued_at        timestamp not null,
    next_attempt_at  timestamp not null,
    expires_at       timestamp not null,
    last_attempt_at  timestamp,
    sent_at          timestamp,
    last_error       text collate "C"
);

create index mail_outbox_status on mail_outbox (status, next_attempt_at);
