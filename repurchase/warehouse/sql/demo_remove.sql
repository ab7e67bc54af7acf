-- Remove the demo inside an import's transaction (demo_guard._remove_demo). `_replacing`
-- holds the batch this import wrote (-1: none). A demo rep or customer stays only when this
-- import wrote a row with the same id (it is the company's now) or when rows imported by
-- older code beside the demo name it; everything derived from demo data goes.
create or replace temporary table _drop_customers as
select id as customer_id from demo_members where kind = 'customer'
except select customer_id from customers where updated_at = current_timestamp::timestamp
except select customer_id from visits
    where source = 'import' and batch_id <> (select batch_id from _replacing)
except select customer_id from orders
    where source = 'import' and batch_id <> (select batch_id from _replacing);

create or replace temporary table _drop_reps as
select id as rep_id from demo_members where kind = 'rep'
except select rep_id from reps where updated_at = current_timestamp::timestamp
except select rep_id from visits
    where source = 'import' and batch_id <> (select batch_id from _replacing)
except select owner_rep_id from customers
    where customer_id not in (select customer_id from _drop_customers)
      and updated_at <> current_timestamp::timestamp;

-- this import's own rows stay (demo_remove_dangling then refuses any that name the demo)
create or replace temporary table _drop_visits as
select visit_id from visits
where batch_id is distinct from (select batch_id from _replacing)
  and (source = 'demo'
       or customer_id in (select customer_id from _drop_customers)
       or rep_id in (select rep_id from _drop_reps));

delete from visit_audit
where visit_id in (select visit_id from _drop_visits)
   or changed_by in (select username from users where is_demo);
delete from customer_changes
where customer_id in (select customer_id from _drop_customers)
   or changed_by in (select username from users where is_demo);
delete from visit_submissions where visit_id in (select visit_id from _drop_visits);
delete from visits where visit_id in (select visit_id from _drop_visits);
delete from orders
where batch_id is distinct from (select batch_id from _replacing)
  and (source = 'demo' or customer_id in (select customer_id from _drop_customers));
delete from customers where customer_id in (select customer_id from _drop_customers);
delete from reps where rep_id in (select rep_id from _drop_reps);
delete from import_batches
where cast(batch_id as varchar) in (select id from demo_members where kind = 'batch');

-- made by models trained on demo data, or drawn for demo customers
delete from call_lists;
delete from scores;
delete from holdout_assignments;
delete from backtest_predictions;
delete from backtest_results;
delete from backtest_runs;
delete from model_versions;
delete from model_artefacts;  -- (0018) the copies of the demo's versions

-- the demo's job history (a job still running refused the replacement: demo_guard)
delete from jobs where job_id not in (select job_id from job_slots where job_id is not null);

delete from users where is_demo;
delete from demo_members;
delete from app_settings where key in ('demo_complete', 'warehouse_kind');
insert into app_settings (key, value) values ('warehouse_kind', 'company');

drop table _drop_visits;
drop table _drop_reps;
drop table _drop_customers;
