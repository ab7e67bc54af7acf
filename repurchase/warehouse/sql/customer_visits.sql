-- customer_visits: every visit to one customer, newest first, with who made and entered it.
-- params: $customer_id VARCHAR
-- returns: visit_id, visited_at, rep_id, rep_name, method, target, purpose, result, note,
--          order_amount, follow_up_date, source, entered_by, entered_at
select
    v.visit_id,
    v.visited_at,
    v.rep_id,
    r.name as rep_name,
    v.method,
    v.target,
    v.purpose,
    v.result,
    v.note,
    v.order_amount,
    v.follow_up_date,
    v.source,
    v.entered_by,
    v.entered_at
from visits as v
left join reps as r
    on r.rep_id = v.rep_id
where v.customer_id = $customer_id
order by v.visited_at desc, v.visit_id desc
