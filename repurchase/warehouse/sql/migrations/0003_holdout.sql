-- 0003_holdout: a randomised hold-out of customers kept off the lists (a control group), and
-- on each call-list row whether it was withheld. Withheld rows are the customers the model
-- would have listed; reps never see them, the causal evaluation compares them with the
-- listed ones.

create table holdout_assignments (
    period_start  date not null,
    period_end    date not null,  -- exclusive
    customer_id   varchar not null,
    rep_id        varchar not null,
    share         double not null,
    seed          bigint not null,
    drawn_at      timestamp not null default current_timestamp,
    primary key (period_start, customer_id)
);

-- (DuckDB cannot add a NOT NULL column; the default fills existing rows with false)
alter table call_lists add column held_out boolean default false;
