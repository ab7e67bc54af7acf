-- entries_by_user: the visits a user logged in the app on one day, newest first (the ones
-- they may still edit or delete).
-- params: $username VARCHAR, $day DATE
-- returns: visit_id, customer_id, customer_name, visited_at, method, target, purpose, result,
--          note, order_amount, follow_up_date, entered_at
select
    v.visit_id,
    v.customer_id,
    c.name as customer_name,
    v.visited_at,
    v.method,
    v.target,
    v.purpose,
    v.result,
    v.note,
    v.order_amount,
    v.follow_up_date,
    v.entered_at
from visits as v
inner join customers as c
    on c.customer_id = v.customer_id
where v.entered_by = $username
    and v.source = 'app'
    and cast(v.entered_at as date) = $day
order by v.entered_at desc
