-- 0010_demo_marker: whether a warehouse is the demo is recorded, never inferred from who
-- imported (issue 10: a company's warehouse imported `--by demo` was taken for an interrupted
-- demo build and deleted on the next start).
--
-- app_settings 'warehouse_kind' = 'demo' | 'company'. The demo build writes 'demo' before it
-- writes anything else and 'demo_complete' as its last step; the first import of a company's
-- own data writes 'company'. demo_members lists the rows the demo build created, so that
-- removing the demo removes exactly them, also from a warehouse where older code let real
-- data be imported beside the demo.

create table demo_members (
    kind  varchar not null check (kind in ('rep', 'customer', 'batch')),
    id    varchar not null,
    primary key (kind, id)
);

-- Backfill for warehouses made by older code. Only the demo build ever wrote rows with source
-- 'demo' (imports write 'import', the app 'app'), and only it set 'demo_complete'.
insert into app_settings (key, value)
select 'warehouse_kind', 'demo'
where exists (select 1 from app_settings where key = 'demo_complete')
   or exists (select 1 from visits where source = 'demo')
   or exists (select 1 from orders where source = 'demo');

insert into app_settings (key, value)
select 'warehouse_kind', 'company'
where not exists (select 1 from app_settings where key = 'warehouse_kind')
  and (exists (select 1 from reps) or exists (select 1 from customers)
       or exists (select 1 from visits) or exists (select 1 from orders));

-- A demo without any imported row is the demo through and through: every rep and customer is
-- the demo's. Beside imported rows (older code allowed that), the demo's are those its own
-- rows name.
create temporary table _mixed as
select exists (select 1 from visits where source = 'import')
    or exists (select 1 from orders where source = 'import') as mixed;

insert into demo_members (kind, id)
select distinct 'customer', customer_id from (
    select customer_id from customers
    where not (select mixed from _mixed)
    union select customer_id from visits where source = 'demo'
    union select customer_id from orders where source = 'demo'
)
where exists (select 1 from app_settings where key = 'warehouse_kind' and value = 'demo');

insert into demo_members (kind, id)
select distinct 'rep', rep_id from (
    select rep_id from reps where not (select mixed from _mixed)
    union select rep_id from visits where source = 'demo'
    union select owner_rep_id from customers
    where customer_id in (select id from demo_members where kind = 'customer')
)
where exists (select 1 from app_settings where key = 'warehouse_kind' and value = 'demo');

insert into demo_members (kind, id)
select distinct 'batch', cast(batch_id as varchar) from (
    select batch_id from visits where source = 'demo'
    union select batch_id from orders where source = 'demo'
)
where batch_id is not null;

drop table _mixed;
