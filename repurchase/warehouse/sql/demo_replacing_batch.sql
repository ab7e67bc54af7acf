-- demo_replacing_batch: the import batch that replaces the demo, where demo_remove.sql finds it
-- (a temporary table of this connection, dropped by demo_replacing_batch_drop.sql).
-- params: $batch_id BIGINT (-1 for none)
-- returns: nothing
create or replace temporary table _replacing as
select $batch_id::bigint as batch_id
