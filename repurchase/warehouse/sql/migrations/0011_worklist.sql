-- 0011_worklist: what a rep's worklist needs beyond a ranked list (issue 11).
--
-- * visits: a third result, `not_reached` (the ERP's 未联系上: nobody answered, not met), and an
--   optional `follow_up_date` ("call back on ..."), which puts the customer on that day's list.
--   DuckDB cannot alter a CHECK constraint, so the table is rebuilt in this migration's
--   transaction: same columns, same ids, the sequence carries on. (Views that read visits bind
--   at query time and keep working.) On a 10M-visit warehouse this takes seconds, once.
-- * customers: an optional contact person and phone number.
-- * scores: per customer and day, the expected order value in the horizon, the typical order
--   size it rests on, the churn risk and whether it is flagged.
-- * call_lists: the chance on the previous list (the card's up/down arrow), what the list was
--   ranked by, and whether a row moved up after a skip or snooze (it was shown, so it is on-list).
-- * list_actions: a rep's snooze (1-30 days) or skip (today, with a reason). Kept forever: a
--   skipped listed customer is still on-list for the evaluation.
-- * team_settings: what a team's lists are ranked by (probability, the default, or value).

create table visits_0011 (
    visit_id        bigint primary key default nextval('visit_id_seq'),
    rep_id          varchar not null,
    customer_id     varchar not null,
    visited_at      timestamp not null,
    method          varchar not null,
    target          varchar not null,
    purpose         varchar not null,
    result          varchar not null check (result in ('order', 'no_order', 'not_reached')),
    note            varchar,
    order_amount    decimal(14, 2) check (order_amount >= 0),
    source          varchar not null,
    batch_id        bigint,
    dedup_key       varchar,
    entered_by      varchar not null,
    entered_at      timestamp not null default current_timestamp,
    follow_up_date  date check (follow_up_date > cast(visited_at as date))
);

insert into visits_0011 (visit_id, rep_id, customer_id, visited_at, method, target, purpose,
                         result, note, order_amount, source, batch_id, dedup_key, entered_by,
                         entered_at)
select visit_id, rep_id, customer_id, visited_at, method, target, purpose, result, note,
       order_amount, source, batch_id, dedup_key, entered_by, entered_at
from visits;

drop table visits;
alter table visits_0011 rename to visits;

alter table customers add column contact_name varchar;
alter table customers add column contact_phone varchar;

alter table scores add column expected_value double;  -- currency units in the horizon, >= 0
alter table scores add column typical_order double;   -- the order size it rests on
alter table scores add column churn_risk double;      -- 0..1
alter table scores add column at_risk boolean;        -- flagged as drifting away

alter table call_lists add column p_previous double;  -- p_order on the previous list's day
alter table call_lists add column ranked_by varchar;  -- 'probability' | 'value'
alter table call_lists add column added_for varchar;  -- null, or 'moved_up' after a skip/snooze

create sequence list_action_id_seq start 1;

create table list_actions (
    action_id    bigint primary key default nextval('list_action_id_seq'),
    rep_id       varchar not null,
    customer_id  varchar not null,
    action       varchar not null check (action in ('snooze', 'skip')),
    first_day    date not null,  -- the day it was taken
    until_day    date not null check (until_day > first_day),  -- exclusive: back on lists then
    reason       varchar,
    entered_by   varchar not null,
    entered_at   timestamp not null default current_timestamp,
    undone_at    timestamp,
    undone_by    varchar
);

create table team_settings (
    team        varchar primary key,  -- reps.team; '' for reps without a team
    rank_by     varchar not null check (rank_by in ('probability', 'value')),
    updated_by  varchar not null,
    updated_at  timestamp not null default current_timestamp
);
