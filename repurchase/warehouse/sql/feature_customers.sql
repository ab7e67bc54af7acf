-- feature_customers: the customers to score and their static attributes, with the rep who
-- owns each one and whether that rep still works here.
-- params: none
-- returns: customer_id, owner_rep_id, customer_type, industry, tag, created_date, rep_active
select
    c.customer_id,
    c.owner_rep_id,
    c.customer_type,
    c.industry,
    c.tag,
    c.created_date,
    r.rep_id is not null and r.left_date is null as rep_active
from customers as c
left join reps as r
    on r.rep_id = c.owner_rep_id
order by c.customer_id
