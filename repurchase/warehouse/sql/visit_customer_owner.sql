-- visit_customer_owner: the rep who owns a customer, whom a visit to it is logged for.
-- params: $customer_id VARCHAR
-- returns: owner_rep_id (no row for an unknown customer)
select
    owner_rep_id
from customers
where customer_id = $customer_id
