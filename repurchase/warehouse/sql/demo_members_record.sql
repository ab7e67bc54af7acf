-- The demo build's last step: every rep, customer and import batch in the file is the demo's
-- (the demo is built into an empty file). Removing the demo later removes exactly these.
-- (plain SQL, no `insert or ignore`: it also runs on an attached PostgreSQL database)
insert into demo_members (kind, id)
select kind, id from (
    select 'rep' as kind, rep_id as id from reps
    union all select 'customer', customer_id from customers
    union all select 'batch', cast(batch_id as varchar) from import_batches
) as found
where not exists (
    select 1 from demo_members as m where m.kind = found.kind and m.id = found.id
);
