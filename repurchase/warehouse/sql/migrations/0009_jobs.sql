-- 0009_jobs: background jobs (retrain, backtest, import) recorded in the warehouse, so every
-- admin sees what runs, who started it, how far it got and how it ended, whether or not the
-- page that started it is still open.

create sequence job_id_seq start 1;

create table jobs (
    job_id               bigint primary key default nextval('job_id_seq'),
    kind                 varchar not null check (kind in ('retrain', 'backtest', 'import')),
    -- what exactly: nightly (retrain and score today), train, backtest, import
    action               varchar not null,
    params               json not null,
    requested_by         varchar not null,
    source               varchar not null check (source in ('app', 'cli')),
    status               varchar not null
        check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    created_at           timestamp not null default current_timestamp,
    started_at           timestamp,
    -- written by the job every few seconds; a stale heartbeat or a gone process means the job
    -- died without saying so (shown as failed, and its slot is freed for the next one)
    heartbeat_at         timestamp,
    finished_at          timestamp,
    host                 varchar,
    pid                  integer,
    progress             double not null default 0 check (progress >= 0 and progress <= 1),
    message              varchar,
    outcome              varchar,  -- what it did, for people (e.g. the promotion verdict)
    result               json,  -- the same as data (version, promoted, backtest run) for the UI
    error                varchar,
    cancel_requested_at  timestamp,
    cancel_requested_by  varchar
);

-- One running job per kind, enforced by the database: a job takes its kind's row with
-- `update ... where job_id is null`; a second job of the same kind finds the row taken (and two
-- transactions racing for it conflict), so two admins cannot start two retrains at once.
create table job_slots (
    kind    varchar primary key,
    job_id  bigint
);

insert into job_slots (kind, job_id) values ('retrain', null), ('backtest', null), ('import', null);
