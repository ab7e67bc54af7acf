-- 0022_mail: reminders by e-mail. Each user may have an address (set by an admin) and may opt
-- out of the mails; the outbox holds every mail the nightly job queued, one row per mail key
-- (a rep's morning mail for one day, a manager's weekly report for one week), so the same
-- mail is never queued twice, and a send that failed is retried from it by a later run. It
-- is also the send log admins read.
alter table users add column email varchar;
alter table users add column email_opt_out boolean default false;

create sequence mail_id_seq start 1;

create table mail_outbox (
    mail_id          bigint primary key,
    mail_key         varchar not null unique,  -- kind:username:period
    kind             varchar not null check (kind in ('morning', 'weekly')),
    username         varchar not null,
    period           date not null,  -- morning: the list's day; weekly: the week's Monday
    recipient        varchar not null,
    language         varchar not null,
    subject          varchar not null,
    body_text        varchar not null,
    body_html        varchar not null,
    status           varchar not null
        check (status in ('pending', 'sending', 'sent', 'failed', 'expired')),
    attempts         integer not null default 0,
    queued_at        timestamp not null,
    next_attempt_at  timestamp not null,
    expires_at       timestamp not null,  -- a morning list is no use the next day
    last_attempt_at  timestamp,
    sent_at          timestamp,
    last_error       varchar
);

create index mail_outbox_status on mail_outbox (status, next_attempt_at);
