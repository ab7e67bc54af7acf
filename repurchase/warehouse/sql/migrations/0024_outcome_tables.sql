-- 0024_outcome_tables: the cohort page's on-list / off-list counts, kept by the nightly job so
-- that a page view adds up a few thousand rows instead of joining every visit of the period to
-- the call lists.
-- * visit_outcomes_daily: per visit day, rep and method, the visits whose customer was on the
--   rep's visible list in the 7 days up to the visit (sql/visits_on_list.sql's rule) and those
--   that were not, each with how many ended in an order. Only entries made before the build's
--   cutoff are counted; later entries (today's, backdated ones, imports) are read live.
-- * visit_outcomes_built: one row (id 1) saying what the table covers: days up to and including
--   built_through, entries made before cutoff. No row: nothing is covered, every day is live.
--   An import, a rewritten past list or the demo's removal moves built_through back (or drops
--   the row) in its own transaction, so the table is never read where it could be wrong.
create table visit_outcomes_daily (
    day            date not null,
    rep_id         varchar not null,
    method         varchar not null,
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
