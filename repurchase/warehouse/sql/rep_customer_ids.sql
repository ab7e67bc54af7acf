-- rep_customer_ids: the customers a rep owns now, for the reads that then ask for just their
-- rows (point_reads.expand binds them one by one, so PostgreSQL gets the ids).
-- params: $rep_id VARCHAR
-- returns: customer_id
select customer_id
from customers
where owner_rep_id = $rep_id
order by customer_id
