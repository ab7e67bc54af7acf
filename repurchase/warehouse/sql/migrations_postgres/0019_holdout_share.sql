-- 0019_holdout_share: the hold-out share per team, in force from a period start
-- (migrations/0019_holdout_share.sql says why). The same change in PostgreSQL's dialect.
create table team_holdout_shares (
    team            varchar collate "C" not null,
    effective_from  date not null,
    share           double precision not null check (share >= 0 and share <= 0.3),
    updated_by      varchar collate "C" not null,
    updated_at      timestamp not null default current_timestamp,
    primary key (team, effective_from)
);
