-- 0016_baseline: the whole warehouse schema for PostgreSQL 15, equal to the DuckDB schema at
-- version 16 (migrations/0001..0016).
--
-- PostgreSQL starts at version 16 because no PostgreSQL warehouse existed before it: there is
-- nothing to upgrade, so the sixteen DuckDB steps (and their backfills of older DuckDB files)
-- are folded into this one file instead of being translated one by one. From 0017 on, every
-- schema change is a migration in both folders with the same number and the same effect:
-- migrations/NNNN_x.sql in DuckDB's dialect, migrations_postgres/NNNN_x.sql in PostgreSQL's.
-- tests/test_schema_parity.py builds both and fails when they differ or when one folder has a
-- version the other lacks.
--
-- The app runs all of its SQL in DuckDB, also against PostgreSQL (DuckDB attaches this
-- database), so every table must look to DuckDB exactly as its DuckDB twin does: the same
-- columns in the same order, with types DuckDB reads back as the same types (numeric(14, 2)
-- is DECIMAL(14,2), double precision is DOUBLE, timestamp is without time zone), the same
-- nullability, defaults, checks and keys. Sequences keep their DuckDB names, since the column
-- defaults name them.
--
-- DuckDB's json columns are `text` here. DuckDB reads a PostgreSQL json column back as VARCHAR
-- anyway, and it sends the new value of an updated one as varchar, which PostgreSQL refuses for
-- a json column (duckdb/duckdb-postgres#390: every job failed when it stored its result). The
-- app writes JSON text (json.dumps) and reads it with DuckDB's json functions.
--
-- Every varchar is `collate "C"`. DuckDB compares strings byte by byte and says so in the
-- filters it pushes down here (`where "customer_id" = 'C1' COLLATE "C"`); PostgreSQL uses an
-- index only for a comparison in the index's own collation, so with the database's default
-- collation every primary key and index on a text column would be skipped for those filters
-- and each lookup would read the whole table. With "C", PostgreSQL also orders and compares
-- text the way DuckDB does, whatever locale the database was created with.
--
-- No foreign keys, as in DuckDB (see migrations/0001_initial.sql): the importer and the
-- warehouse-facing code check references, and the two backends must accept the same writes.
--
-- Not here: the table macro list_actions_in_force (DuckDB migration 0015, dropped in 0016).
-- PostgreSQL cannot hold a DuckDB macro; sql/macros.sql creates it on every connection of
-- both backends instead. Nor schema_migrations: the migration runner creates it before it
-- applies the first migration, on both backends.
--
-- Indexes: DuckDB needs none beyond its keys; PostgreSQL does, because DuckDB pushes a query's
-- constant filters (`customer_id = $1`, `visited_at < $2`) down into the SELECT it sends here,
-- and without an index each of those is a scan of the whole table. They are at the end of this
-- file, each with the queries it serves.


-- ---------------------------------------------------------------- people and customers (0001)

create table reps (
    rep_id      varchar collate "C" primary key,
    name        varchar collate "C" not null,
    gender      varchar collate "C" not null check (gender in ('M', 'F')),
    birth_date  date not null,
    hire_date   date not null,
    level       varchar collate "C" not null check (level in ('junior', 'mid', 'senior')),
    team        varchar collate "C",
    left_date   date,
    updated_at  timestamp not null default current_timestamp
);

create table customers (
    customer_id    varchar collate "C" primary key,
    name           varchar collate "C" not null,
    customer_type  varchar collate "C" not null,
    industry       varchar collate "C" not null,
    tag            varchar collate "C" not null,
    owner_rep_id   varchar collate "C" not null,
    created_date   date,
    updated_at     timestamp not null default current_timestamp,
    contact_name   varchar collate "C",  -- 0011
    contact_phone  varchar collate "C"   -- 0011
);


-- ---------------------------------------------------------------- events (0001, 0011)

create sequence import_batch_id_seq start 1;

create table import_batches (
    batch_id     bigint primary key default nextval('import_batch_id_seq'),
    imported_at  timestamp not null default current_timestamp,
    imported_by  varchar collate "C" not null,
    files        text collate "C" not null,
    row_counts   text collate "C" not null
);

create sequence visit_id_seq start 1;

-- as rebuilt by 0011 (the third result and follow_up_date)
create table visits (
    visit_id        bigint primary key default nextval('visit_id_seq'),
    rep_id          varchar collate "C" not null,
    customer_id     varchar collate "C" not null,
    visited_at      timestamp not null,
    method          varchar collate "C" not null,
    target          varchar collate "C" not null,
    purpose         varchar collate "C" not null,
    result          varchar collate "C" not null
        check (result in ('order', 'no_order', 'not_reached')),
    note            varchar collate "C",
    order_amount    numeric(14, 2) check (order_amount >= 0),
    -- where the row came from: 'app' (logged by a rep), 'import', 'demo'
    source          varchar collate "C" not null,
    batch_id        bigint,
    -- content key of an imported row (importing/write.py); null for visits logged in the app.
    -- Not unique, as in DuckDB: imports are serialised and insert only keys that are absent.
    dedup_key       varchar collate "C",
    entered_by      varchar collate "C" not null,
    entered_at      timestamp not null default current_timestamp,
    follow_up_date  date check (follow_up_date > cast(visited_at as date))
);

create sequence order_id_seq start 1;

create table orders (
    order_id     bigint primary key default nextval('order_id_seq'),
    customer_id  varchar collate "C" not null,
    order_date   date not null,
    amount       numeric(14, 2) not null check (amount >= 0),
    source       varchar collate "C" not null,
    batch_id     bigint,
    dedup_key    varchar collate "C",  -- as visits.dedup_key
    created_at   timestamp not null default current_timestamp
);


-- ---------------------------------------------------------------- models, lists (0001-0003, 0011)

create table model_versions (
    version        varchar collate "C" primary key,
    created_at     timestamp not null default current_timestamp,
    train_start    date,
    train_end      date,
    architecture   varchar collate "C" not null,
    hyperparams    text collate "C" not null,
    metrics        text collate "C" not null,
    artefact_path  varchar collate "C" not null,
    status         varchar collate "C" not null
        check (status in ('candidate', 'serving', 'retired', 'rejected')),
    promoted_at    timestamp
);

-- Kept forever: the on-list vs off-list evaluation reads which customers were listed when.
create table call_lists (
    list_date      date not null,
    rep_id         varchar collate "C" not null,
    customer_id    varchar collate "C" not null,
    rank           integer not null check (rank >= 1),
    p_order        double precision not null,
    model_version  varchar collate "C" not null,
    created_at     timestamp not null default current_timestamp,
    reasons        text collate "C",                  -- 0002
    n_history      integer,               -- 0002
    -- nullable with a default, as DuckDB's 0003 had to add it (it cannot add a NOT NULL column)
    held_out       boolean default false,  -- 0003
    p_previous     double precision,      -- 0011: p_order on the previous list's day
    ranked_by      varchar collate "C",   -- 0011: 'probability' | 'value'
    added_for      varchar collate "C",   -- 0011: null, or 'moved_up' after a skip/snooze
    primary key (list_date, rep_id, customer_id)
);

create table scores (
    score_date      date not null,
    customer_id     varchar collate "C" not null,
    model_version   varchar collate "C" not null,
    p_order         double precision not null,  -- calibrated probability of ordering
    p_raw           double precision not null,  -- the network's own output
    horizon_days    integer not null,
    n_history       integer not null,  -- events before the day; under 9 means a padded window
    created_at      timestamp not null default current_timestamp,
    expected_value  double precision,  -- 0011: currency units in the horizon, >= 0
    typical_order   double precision,  -- 0011: the order size it rests on
    churn_risk      double precision,  -- 0011: 0..1
    at_risk         boolean,           -- 0011: flagged as drifting away
    primary key (score_date, customer_id, model_version)
);

create table holdout_assignments (
    period_start  date not null,
    period_end    date not null,  -- exclusive
    customer_id   varchar collate "C" not null,
    rep_id        varchar collate "C" not null,
    share         double precision not null,
    seed          bigint not null,
    drawn_at      timestamp not null default current_timestamp,
    primary key (period_start, customer_id)
);


-- ---------------------------------------------------------------- backtests (0004, 0012)

create sequence backtest_run_id_seq start 1;

create table backtest_runs (
    run_id      bigint primary key default nextval('backtest_run_id_seq'),
    created_at  timestamp not null default current_timestamp,
    config      text collate "C" not null,
    seconds     double precision not null,
    measures    text collate "C"  -- 0012
);

create table backtest_results (
    run_id             bigint not null,
    week               date not null,
    method             varchar collate "C" not null,
    precision          double precision,
    listed             integer not null,
    candidates         integer not null,
    auc                double precision,
    brier              double precision,
    reps_success_rate  double precision,
    base_rate          double precision,
    primary key (run_id, week, method)
);

create table backtest_predictions (
    run_id       bigint not null,
    week         date not null,
    customer_id  varchar collate "C" not null,
    method       varchar collate "C" not null,
    p            double precision not null,
    label        integer not null
);


-- ---------------------------------------------------------------- users, audit (0005, 0007, 0008)

-- without 0005's failed_attempts and locked_until, which 0008 dropped
create table users (
    username       varchar collate "C" primary key,
    display_name   varchar collate "C" not null,
    password_hash  varchar collate "C" not null,  -- argon2id, never the password
    role           varchar collate "C" not null check (role in ('rep', 'manager', 'admin')),
    rep_id         varchar collate "C",  -- a rep sees this rep's customers only
    team           varchar collate "C",  -- a manager sees this team's reps
    created_at     timestamp not null default current_timestamp,
    last_login_at  timestamp,
    is_demo        boolean not null default false,
    disabled_at    timestamp  -- 0008
);

create sequence visit_audit_id_seq start 1;

create table visit_audit (
    audit_id    bigint primary key default nextval('visit_audit_id_seq'),
    visit_id    bigint not null,
    action      varchar collate "C" not null check (action in ('create', 'edit', 'delete')),
    changed_by  varchar collate "C" not null,
    changed_at  timestamp not null default current_timestamp,
    before      text collate "C",
    after       text collate "C"
);

create table app_settings (
    key         varchar collate "C" primary key,
    value       varchar collate "C" not null,
    updated_at  timestamp not null default current_timestamp
);

create table visit_submissions (
    submission_id  varchar collate "C" primary key,
    visit_id       bigint not null,
    submitted_by   varchar collate "C" not null,
    submitted_at   timestamp not null,
    stored_at      timestamp not null default current_timestamp
);

create table user_sessions (
    token_hash    varchar collate "C" primary key,
    username      varchar collate "C" not null,
    created_at    timestamp not null,
    last_seen_at  timestamp not null,
    expires_at    timestamp not null,
    revoked_at    timestamp,
    revoked_why   varchar collate "C",
    client        varchar collate "C"
);

create table sign_in_failures (
    username         varchar collate "C" not null,
    client           varchar collate "C" not null,
    failures         integer not null,
    last_failure_at  timestamp not null,
    blocked_until    timestamp,
    primary key (username, client)
);


-- ---------------------------------------------------------------- jobs (0009)

create sequence job_id_seq start 1;

create table jobs (
    job_id               bigint primary key default nextval('job_id_seq'),
    kind                 varchar collate "C" not null
        check (kind in ('retrain', 'backtest', 'import')),
    action               varchar collate "C" not null,
    params               text collate "C" not null,
    requested_by         varchar collate "C" not null,
    source               varchar collate "C" not null check (source in ('app', 'cli')),
    status               varchar collate "C" not null
        check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    created_at           timestamp not null default current_timestamp,
    started_at           timestamp,
    heartbeat_at         timestamp,
    finished_at          timestamp,
    host                 varchar collate "C",
    pid                  integer,
    progress             double precision not null default 0
        check (progress >= 0 and progress <= 1),
    message              varchar collate "C",
    outcome              varchar collate "C",
    result               text collate "C",
    error                varchar collate "C",
    cancel_requested_at  timestamp,
    cancel_requested_by  varchar collate "C"
);

-- one running job per kind (see migrations/0009_jobs.sql); the rows are data the code expects
create table job_slots (
    kind    varchar collate "C" primary key,
    job_id  bigint
);

insert into job_slots (kind, job_id) values ('retrain', null), ('backtest', null), ('import', null);


-- ---------------------------------------------------------------- demo marker (0010)

-- 0010's backfills read rows of older DuckDB files; a new PostgreSQL database has none
create table demo_members (
    kind  varchar collate "C" not null check (kind in ('rep', 'customer', 'batch')),
    id    varchar collate "C" not null,
    primary key (kind, id)
);


-- ---------------------------------------------------------------- worklist (0011, 0013)

create sequence list_action_id_seq start 1;

create table list_actions (
    action_id    bigint primary key default nextval('list_action_id_seq'),
    rep_id       varchar collate "C" not null,
    customer_id  varchar collate "C" not null,
    action       varchar collate "C" not null check (action in ('snooze', 'skip')),
    first_day    date not null,
    until_day    date not null check (until_day > first_day),  -- exclusive
    reason       varchar collate "C",
    entered_by   varchar collate "C" not null,
    entered_at   timestamp not null default current_timestamp,
    undone_at    timestamp,
    undone_by    varchar collate "C",
    note         varchar collate "C"  -- 0013
);

create table team_settings (
    team        varchar collate "C" primary key,  -- reps.team; '' for reps without a team
    rank_by     varchar collate "C" not null check (rank_by in ('probability', 'value')),
    updated_by  varchar collate "C" not null,
    updated_at  timestamp not null default current_timestamp
);


-- ---------------------------------------------------------------- outcome views (0006, 0014)

-- A purchase is an order record or a visit that ended in an order, one row per customer and day.
create view purchase_days as
    select customer_id, order_date as day from orders
    union
    select customer_id, cast(visited_at as date) from visits where result = 'order';

-- The last day any order or visit is recorded: outcomes after it are not known yet.
-- (PostgreSQL 15 wants an alias on the subquery; DuckDB's version has none.)
create view observed_until as
    select max(day) as last_day
    from (
        select max(order_date) as day from orders
        union all
        select max(cast(visited_at as date)) from visits
    ) as last_days;

-- What each purchase day was worth: the day's order records, else its successful visits' amounts.
-- (double precision is DuckDB's double.)
create view purchase_values as
    with order_days as (
        select customer_id, order_date as day, sum(amount) as amount
        from orders
        group by customer_id, order_date
    ),

    visit_days as (
        select customer_id, cast(visited_at as date) as day, sum(order_amount) as amount
        from visits
        where result = 'order'
        group by customer_id, cast(visited_at as date)
    )

    select
        coalesce(o.customer_id, v.customer_id) as customer_id,
        coalesce(o.day, v.day) as day,
        cast(coalesce(o.amount, v.amount, 0) as double precision) as amount
    from order_days as o
    full outer join visit_days as v
        on v.customer_id = o.customer_id
        and v.day = o.day;


-- ---------------------------------------------------------------- indexes (PostgreSQL only)
--
-- Chosen from the filters DuckDB actually sends here (pg_debug_show_queries over sql/*.sql):
-- it pushes a scan's constant comparisons (`customer_id = 'C1'`, `score_date = '2026-06-01'`,
-- `visited_at >= ... and visited_at < ...`) but not join conditions, `list_contains($reps, x)`
-- or an expression such as `cast(visited_at as date) = $day`; those read the whole table
-- whatever the indexes are.
--
-- Served by a primary key already, so not repeated:
--   call_lists (list_date, rep_id, ...)  one rep's list on a day (rep_call_list,
--       next_to_move_up, rep_drifting_away, list_actions._move_up send `rep_id = $1 and
--       list_date = $2`), a range of list days (team_worklist, holdout_units, list_followups)
--   scores (score_date, customer_id, model_version)  a day's or a range of days' scores
--       (rep_call_list, next_to_move_up, previous_scores, served_outcomes, team_at_risk)
--   holdout_assignments (period_start, ...)  the hold-out in force on a day
-- Not indexed on purpose:
--   visits (rep_id, ...)  no query filters visits on a rep by a constant: a rep's visits are
--       reached through their customers (a join) or `list_contains($reps, rep_id)`
--   visits (visited_at)  the filters on it (`< $until`, `< $day + 1 day`) keep nearly every
--       row; only the backtest's week_visitors reads a few weeks, once per run
--   visits and orders (dedup_key)  the importer's anti-join runs in DuckDB, which reads the
--       key column whole; an index would only slow every import down

-- One customer's visits: customer_visits, customer_profile (`customer_id = $1`, and
-- `and result = 'order'`); visited_at second, in the order customer_visits shows them.
create index visits_customer on visits (customer_id, visited_at);

-- The visits a user logged today, read each time the visit form is drawn: entries_by_user
-- (`entered_by = $1 and source = 'app'`; its day test is on an expression and stays in DuckDB).
create index visits_entered_by on visits (entered_by, entered_at);

-- One customer's order records: customer_orders, customer_profile (`customer_id = $1`).
create index orders_customer on orders (customer_id, order_date);

-- One customer's score history: customer_scores (`customer_id = $1`); the primary key leads
-- with the day.
create index scores_customer on scores (customer_id, score_date);

-- A rep's customers: rep_call_list, next_to_move_up, rep_drifting_away (`owner_rep_id = $1`).
create index customers_owner on customers (owner_rep_id);

-- A rep's snoozes and skips in force on a day (macros.sql list_actions_in_force, as
-- rep_call_list and next_to_move_up read it: `first_day <= $d and until_day > $d and
-- rep_id = $r`); until_day is the bound that leaves out the rep's long-finished actions.
create index list_actions_rep on list_actions (rep_id, until_day);
