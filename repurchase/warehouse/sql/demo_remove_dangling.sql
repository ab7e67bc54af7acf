-- After the demo's rows are removed: rows of this import that name a rep or customer which
-- existed only in the demo (the import must then bring them itself).
select 'visit of customer', customer_id from visits
where batch_id = (select batch_id from _replacing)
  and customer_id not in (select customer_id from customers)
union
select 'visit by rep', rep_id from visits
where batch_id = (select batch_id from _replacing) and rep_id not in (select rep_id from reps)
union
select 'order of customer', customer_id from orders
where batch_id = (select batch_id from _replacing)
  and customer_id not in (select customer_id from customers)
union
select 'customer owned by rep', owner_rep_id from customers
where updated_at = current_timestamp::timestamp and owner_rep_id not in (select rep_id from reps)
order by 1, 2;
