-- customer_for_change: what a reassignment or a contact correction checks and records, read
-- inside its transaction: the owner now, the owner's team, and the contact.
-- params: $customer_id VARCHAR
-- returns: customer_id, owner_rep_id, owner_team, contact_name, contact_phone
select
    c.customer_id,
    c.owner_rep_id,
    coalesce(r.team, '') as owner_team,
    c.contact_name,
    c.contact_phone
from customers as c
left join reps as r
    on r.rep_id = c.owner_rep_id
where c.customer_id = $customer_id
