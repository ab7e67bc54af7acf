-- 0008_sessions_and_sign_in: sign-in sessions that survive a reload, failed sign-ins counted
-- per name and client address (instead of a lock on the account anyone could trigger), and
-- users an admin can disable without removing them.

-- The lock-out on the account itself is replaced by sign_in_failures below.
alter table users drop column failed_attempts;
alter table users drop column locked_until;

-- set: the user cannot sign in and every session of theirs has ended; null: active
alter table users add column disabled_at timestamp;

-- One row per signed-in browser. The browser keeps a random token in a cookie; only its
-- SHA-256 is stored, so a copy of this file does not let anyone sign in.
create table user_sessions (
    token_hash    varchar primary key,
    username      varchar not null,
    created_at    timestamp not null,
    last_seen_at  timestamp not null,  -- the idle limit counts from here
    expires_at    timestamp not null,  -- the absolute limit
    revoked_at    timestamp,
    revoked_why   varchar,  -- sign-out, password, role, disabled, removed, replaced
    client        varchar  -- the address it was opened from, for the admin's list
);

-- Failed (or refused) sign-ins since the last success, per typed name and client address,
-- whether or not the name exists (so the answers do not tell which names exist).
create table sign_in_failures (
    username         varchar not null,
    client           varchar not null,
    failures         integer not null,
    last_failure_at  timestamp not null,
    blocked_until    timestamp,
    primary key (username, client)
);
