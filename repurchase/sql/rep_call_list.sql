-- rep_call_list: one rep's call list for one day, best first, with what the rep needs to make
-- the call: who the customer is, the last visit and its result, orders so far, and whether
-- someone has already visited the customer that day. A customer handed to another rep since
-- the list was written leaves it at once (ownership is checked on every read, as everywhere
-- else); the remaining customers are numbered 1, 2, 3... again.
-- params: $rep_id VARCHAR, $day DATE
-- returns: rank, customer_id, customer_name, customer_type, industry, tag, p_order,
--          model_version, reasons, n_history, last_visit_at, last_result,
--          days_since_visit, orders_so_far, visited_today
with listed as (
    select
        customer_id,
        rank,
        p_order,
        model_version,
        reasons,
        n_history
    from call_lists
    where rep_id = $rep_id
        and list_date = $day
        and not held_out  -- the hold-out is a control group: reps never see it
),

visits_until_day_end as (
    select
        v.customer_id,
        v.visited_at,
        v.result
    from visits as v
    inner join listed as l
        on l.customer_id = v.customer_id
    where v.visited_at < cast($day as timestamp) + interval 1 day
),

last_visit as (
    select
        customer_id,
        max(visited_at) as last_visit_at,
        arg_max(result, visited_at) as last_result,
        bool_or(cast(visited_at as date) = $day) as visited_today
    from visits_until_day_end
    group by customer_id
),

order_days as (
    -- an order is an order record or a successful visit; one per customer and day
    select o.customer_id, o.order_date as day
    from orders as o
    inner join listed as l
        on l.customer_id = o.customer_id
    where o.order_date <= $day
    union
    select customer_id, cast(visited_at as date)
    from visits_until_day_end
    where result = 'order'
),

orders_so_far as (
    select
        customer_id,
        count(*) as orders_so_far
    from order_days
    group by customer_id
)

select
    row_number() over (order by l.rank) as rank,
    l.customer_id,
    c.name as customer_name,
    c.customer_type,
    c.industry,
    c.tag,
    l.p_order,
    l.model_version,
    l.reasons,
    l.n_history,
    lv.last_visit_at,
    lv.last_result,
    date_diff('day', cast(lv.last_visit_at as date), $day) as days_since_visit,
    coalesce(o.orders_so_far, 0) as orders_so_far,
    coalesce(lv.visited_today, false) as visited_today
from listed as l
inner join customers as c
    on c.customer_id = l.customer_id
    and c.owner_rep_id = $rep_id
left join last_visit as lv
    on lv.customer_id = l.customer_id
left join orders_so_far as o
    on o.customer_id = l.customer_id
order by l.rank
