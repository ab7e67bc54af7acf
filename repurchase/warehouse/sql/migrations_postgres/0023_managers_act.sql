-- 0023_managers_act: customer changes made in the app and each team's daily call target
-- (migrations/0023_managers_act.sql says why). The same change in PostgreSQL's dialect.
create sequence customer_change_id_seq start 1;

create table customer_changes (
    change_id    bigint primary key default nextval('customer_change_id_seq'),
    customer_id  varchar collate "C" not null,
    change       varchar collate "C" not null check (change in ('owner', 'contact')),
    before       text collate "C",
    after        text collate "C",
    changed_by   varchar collate "C" not null,
    changed_at   timestamp not null default current_timestamp
);

create index customer_changes_customer on customer_changes (customer_id);

create table team_daily_targets (
    team            varchar collate "C" not null,
    effective_from  date not null,
    calls           integer not null check (calls >= 1 and calls <= 200),
    updated_by      varchar collate "C" not null,
    updated_at      timestamp not null default current_timestamp,
    primary key (team, effective_from)
);
