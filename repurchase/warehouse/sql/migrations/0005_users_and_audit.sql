-- 0005_users_and_audit: who may sign in and what they may see, an audit trail of every
-- change reps make to visits after logging them, and a few facts about the warehouse itself.

create table users (
    username         varchar primary key,
    display_name     varchar not null,
    password_hash    varchar not null,  -- argon2id, never the password
    role             varchar not null check (role in ('rep', 'manager', 'admin')),
    rep_id           varchar,  -- a rep sees this rep's customers only
    team             varchar,  -- a manager sees this team's reps
    failed_attempts  integer not null default 0,
    locked_until     timestamp,
    created_at       timestamp not null default current_timestamp,
    last_login_at    timestamp,
    -- the demo's accounts (their password is in the README): removed by the first real import
    is_demo          boolean not null default false
);

create sequence visit_audit_id_seq start 1;

create table visit_audit (
    audit_id    bigint primary key default nextval('visit_audit_id_seq'),
    visit_id    bigint not null,
    action      varchar not null check (action in ('create', 'edit', 'delete')),
    changed_by  varchar not null,
    changed_at  timestamp not null default current_timestamp,
    before      json,
    after       json
);

-- e.g. demo_complete: set as the very last step of a demo build, so an interrupted build is
-- recognised and redone instead of being mistaken for data
create table app_settings (
    key         varchar primary key,
    value       varchar not null,
    updated_at  timestamp not null default current_timestamp
);
