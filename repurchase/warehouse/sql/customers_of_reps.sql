-- customers_of_reps: the customers owned by any of the given reps, for pickers and search.
-- params: $reps VARCHAR[]
-- returns: customer_id, name, customer_type, industry, tag, owner_rep_id
select
    customer_id,
    name,
    customer_type,
    industry,
    tag,
    owner_rep_id
from customers
where list_contains($reps, owner_rep_id)
order by customer_id
