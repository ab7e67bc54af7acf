-- 0026_holdout_sums: the hold-out's units as sums per rep, kept by the nightly job, so that the
-- Cohorts page adds up a few thousand rows instead of reading every unit (hundreds of thousands
-- at 10M visits) to prove the list's effect (evaluation/unit_sums.py says what the sums are).
-- * holdout_sums: per rep, hold-out period, arm (held_out), outcome (ordered) and whether the
--   model's score was stored (p_known): the units, their order values' sum and sum of squares,
--   their first and last listing day, and s_a_b = the sum of p^a q^b for a + b <= 6 (p the
--   score, q = log(1 + prior orders)).
-- * holdout_sums_built: one row (id 1) saying what the sums hold: the units of the lists from
--   first_day whose window had closed by last_day (the last day with data at the build), the
--   latest of them first listed on last_listed. No row: nothing is kept, every read is live.
--   An import or a rewritten list of a day up to last_day, or the demo's removal, drops the row
--   in its own transaction, so the sums are never read where they could be wrong.
create table holdout_sums (
    rep_id            varchar not null,
    period_start      date not null,
    held_out          boolean not null,
    ordered           boolean not null,
    p_known           boolean not null,
    n                 integer not null,
    value_sum         double not null,
    value_sq_sum      double not null,
    first_listed_min  date not null,
    first_listed_max  date not null,
    s_0_0             double not null,
    s_0_1             double not null,
    s_0_2             double not null,
    s_0_3             double not null,
    s_0_4             double not null,
    s_0_5             double not null,
    s_0_6             double not null,
    s_1_0             double not null,
    s_1_1             double not null,
    s_1_2             double not null,
    s_1_3             double not null,
    s_1_4             double not null,
    s_1_5             double not null,
    s_2_0             double not null,
    s_2_1             double not null,
    s_2_2             double not null,
    s_2_3             double not null,
    s_2_4             double not null,
    s_3_0             double not null,
    s_3_1             double not null,
    s_3_2             double not null,
    s_3_3             double not null,
    s_4_0             double not null,
    s_4_1             double not null,
    s_4_2             double not null,
    s_5_0             double not null,
    s_5_1             double not null,
    s_6_0             double not null,
    primary key (rep_id, period_start, held_out, ordered, p_known)
);

create table holdout_sums_built (
    id            integer primary key check (id = 1),
    first_day     date not null,
    last_day      date not null,
    last_listed   date,
    built_at      timestamp not null default current_timestamp
);
