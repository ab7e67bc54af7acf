-- customer_owner_rep: the rep who owns a customer now (no row: no such customer).
-- params: $customer_id VARCHAR
-- returns: owner_rep_id
select owner_rep_id
from customers
where customer_id = $customer_id
