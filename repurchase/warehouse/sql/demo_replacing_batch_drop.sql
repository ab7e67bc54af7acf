-- demo_replacing_batch_drop: drop the table demo_replacing_batch.sql made.
-- params: none
-- returns: nothing
drop table if exists _replacing
