-- customer_changes_list: the changes made in the app to one customer, newest first.
-- params: $customer_id VARCHAR
-- returns: change_id, change, before (JSON text), after (JSON text), changed_by, changed_at
select
    change_id,
    change,
    cast(before as varchar) as before,
    cast(after as varchar) as after,
    changed_by,
    changed_at
from customer_changes
where customer_id = $customer_id
order by changed_at desc, change_id desc
