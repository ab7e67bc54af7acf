-- macros: run on every connection of both backends (DuckDB files and PostgreSQL attached into
-- DuckDB) before its first query. Macros are DuckDB objects that PostgreSQL cannot store, so
-- they are temp macros, made per connection, instead of rows of a migration
-- (migrations/0016_macros_per_connection.sql dropped the stored one).

-- list_actions_in_force: one definition of "the snoozes and skips in force on a day", read
-- when lists are written, when a list is shown and when the next customer moves up. Not
-- undone; the latest action per rep and customer wins. (Moved from migration 0015 verbatim.)
create or replace temp macro list_actions_in_force(d) as table
    select
        action_id,
        rep_id,
        customer_id,
        action,
        first_day,
        until_day,
        reason,
        note,
        entered_by,
        entered_at
    from list_actions
    where first_day <= d
        and until_day > d
        and undone_at is null
    qualify row_number() over (
        partition by rep_id, customer_id order by entered_at desc, action_id desc
    ) = 1;
