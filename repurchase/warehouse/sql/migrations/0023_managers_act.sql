-- 0023_managers_act: what managers and reps change about a customer in the app, and each
-- team's daily call target.
-- * customer_changes: every reassignment (who owns the customer) and every correction of the
--   contact name or phone, with the values before and after as JSON, who and when. Kept
--   forever: it is the answer to "who moved my customer" and "who typed this number". An
--   import that carries owners or contacts still overwrites the customer (the company's
--   system is the master); the row here keeps what the app changed.
-- * team_daily_targets: calls a rep of the team should make per day, set by the team's
--   manager (or an admin). A change holds from the day it is set on; a change made again the
--   same day replaces that day's row, earlier rows stay so past days keep their target.
create sequence customer_change_id_seq start 1;

create table customer_changes (
    change_id    bigint primary key default nextval('customer_change_id_seq'),
    customer_id  varchar not null,
    change       varchar not null check (change in ('owner', 'contact')),
    before       json,
    after        json,
    changed_by   varchar not null,
    changed_at   timestamp not null default current_timestamp
);

create table team_daily_targets (
    team            varchar not null,  -- reps.team; '' for reps without a team
    effective_from  date not null,
    calls           integer not null check (calls >= 1 and calls <= 200),
    updated_by      varchar not null,
    updated_at      timestamp not null default current_timestamp,
    primary key (team, effective_from)
);
