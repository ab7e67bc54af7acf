-- 0024_outcome_tables: the cohort page's outcome counts and what they cover
-- (migrations/0024_outcome_tables.sql says why). The same change in PostgreSQL's dialect, with
-- the indexes the live part of the read needs.
create table visit_outcomes_daily (
    day            date not null,
    rep_id         varchar collate "C" not null,
    method         varchar collate "C" not null,
    on_visits      integer not null,
    on_successes   integer not null,
    off_visits     integer not null,
    off_successes  integer not null,
    primary key (day, rep_id, method)
);

create table visit_outcomes_built (
    id              integer primary key check (id = 1),
    built_through   date not null,
    cutoff          timestamp not null,
    built_at        timestamp not null default current_timestamp
);

-- Entries made since the last build (`entered_at >= $cutoff`): a day's worth of the team's
-- visits, read on every cohort page view.
create index visits_entered_at on visits (entered_at);

-- The days the table does not cover yet (`visited_at >= $from and visited_at < $until`): today
-- on a page view, the days since the last build in the nightly job.
create index visits_visited_at on visits (visited_at);
