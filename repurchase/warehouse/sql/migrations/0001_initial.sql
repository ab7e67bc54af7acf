-- 0001_initial: the visit warehouse of spec section 2.
--
-- No foreign keys: DuckDB forbids updating or replacing a row that another table references,
-- which would make re-importing a rep or reassigning a customer impossible. Referential
-- integrity is checked by the importer and by every write in warehouse-facing code instead.
-- Categorical business values (customer type, industry, tag, method, target, purpose) are free
-- text because every company's ERP has its own; only values the product reasons about are
-- constrained (gender, level, result).

create table reps (
    rep_id      varchar primary key,
    name        varchar not null,
    gender      varchar not null check (gender in ('M', 'F')),
    birth_date  date not null,
    hire_date   date not null,
    level       varchar not null check (level in ('junior', 'mid', 'senior')),
    team        varchar,
    left_date   date,
    updated_at  timestamp not null default current_timestamp
);

create table customers (
    customer_id    varchar primary key,
    name           varchar not null,
    customer_type  varchar not null,
    industry       varchar not null,
    tag            varchar not null,
    owner_rep_id   varchar not null,
    created_date   date,
    updated_at     timestamp not null default current_timestamp
);

create sequence import_batch_id_seq start 1;

create table import_batches (
    batch_id     bigint primary key default nextval('import_batch_id_seq'),
    imported_at  timestamp not null default current_timestamp,
    imported_by  varchar not null,
    files        json not null,
    row_counts   json not null
);

create sequence visit_id_seq start 1;

create table visits (
    visit_id      bigint primary key default nextval('visit_id_seq'),
    rep_id        varchar not null,
    customer_id   varchar not null,
    visited_at    timestamp not null,
    method        varchar not null,
    target        varchar not null,
    purpose       varchar not null,
    result        varchar not null check (result in ('order', 'no_order')),
    note          varchar,
    order_amount  decimal(14, 2) check (order_amount >= 0),
    -- where the row came from: 'app' (logged by a rep), 'import', 'demo'
    source        varchar not null,
    batch_id      bigint,
    -- content key of an imported row (see importer.py); null for visits logged in the app.
    -- Not a unique index: imports are serialised (file lock across processes, a lock inside
    -- one) and insert only keys that are absent; an ART index here doubled the time a 1M-row
    -- import holds the file.
    dedup_key     varchar,
    entered_by    varchar not null,
    entered_at    timestamp not null default current_timestamp
);

create sequence order_id_seq start 1;

create table orders (
    order_id     bigint primary key default nextval('order_id_seq'),
    customer_id  varchar not null,
    order_date   date not null,
    amount       decimal(14, 2) not null check (amount >= 0),
    source       varchar not null,
    batch_id     bigint,
    dedup_key    varchar,  -- as visits.dedup_key
    created_at   timestamp not null default current_timestamp
);

create table model_versions (
    version        varchar primary key,
    created_at     timestamp not null default current_timestamp,
    train_start    date,
    train_end      date,
    architecture   varchar not null,
    hyperparams    json not null,
    metrics        json not null,
    artefact_path  varchar not null,
    status         varchar not null
        check (status in ('candidate', 'serving', 'retired', 'rejected')),
    promoted_at    timestamp
);

-- Kept forever: the on-list vs off-list evaluation reads which customers were listed when.
create table call_lists (
    list_date      date not null,
    rep_id         varchar not null,
    customer_id    varchar not null,
    rank           integer not null check (rank >= 1),
    p_order        double not null,
    model_version  varchar not null,
    created_at     timestamp not null default current_timestamp,
    primary key (list_date, rep_id, customer_id)
);
