-- The demo build's last step: every rep, customer and import batch in the file is the demo's
-- (the demo is built into an empty file). Removing the demo later removes exactly these.
insert or ignore into demo_members (kind, id)
select 'rep', rep_id from reps
union all select 'customer', customer_id from customers
union all select 'batch', cast(batch_id as varchar) from import_batches;
