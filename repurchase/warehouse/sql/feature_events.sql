-- feature_events: every customer event before $until, with the paper's time-dependent
-- features (section 2.2) computed per customer in time order. An event is a visit, or an
-- order that no successful visit of the same customer and day already accounts for (online
-- orders arrive without any visit, yet they are purchases the model must see).
-- Every window frame ends at the current row, so an event's features use only earlier events.
-- Customers are numbered in customer_id order, as sql/feature_customers.sql lists them, so the
-- result carries a small integer instead of a string per event.
-- params: $until TIMESTAMP (exclusive)
-- returns: customer_idx, event_at, is_visit, result, target, days_since_prev, prev_result,
--          ever_ordered, n_orders, n_visits, n_reps, orders_365, last_order_at, first_order_at,
--          amount (the order's value: a successful visit's order_amount, else that day's order
--          records; an order's amount; null when unpriced or not an order; value.py reads it)
with numbered_customers as (
    select
        customer_id,
        row_number() over (order by customer_id) - 1 as customer_idx
    from customers
),

order_day_amounts as (
    select
        customer_id,
        order_date as day,
        sum(amount) as amount
    from orders
    where cast(order_date as timestamp) + interval 12 hour < $until
    group by customer_id, order_date
),

visit_events as (
    select
        v.customer_id,
        v.visited_at as event_at,
        1 as is_visit,
        case when v.result = 'order' then 1 else 0 end as result,
        v.rep_id,
        v.target,
        v.visit_id as event_id,
        case
            when v.result = 'order' then cast(coalesce(v.order_amount, d.amount) as double)
        end as amount
    from visits as v
    left join order_day_amounts as d
        on d.customer_id = v.customer_id
        and d.day = cast(v.visited_at as date)
    where v.visited_at < $until
),

successful_visit_days as (
    select distinct
        customer_id,
        cast(event_at as date) as day
    from visit_events
    where result = 1
),

order_events as (
    select
        o.customer_id,
        cast(o.order_date as timestamp) + interval 12 hour as event_at,
        0 as is_visit,
        1 as result,
        cast(null as varchar) as rep_id,
        cast(null as varchar) as target,
        o.order_id as event_id,
        cast(o.amount as double) as amount
    from orders as o
    anti join successful_visit_days as s
        on s.customer_id = o.customer_id
        and s.day = o.order_date
    where cast(o.order_date as timestamp) + interval 12 hour < $until
),

events as (
    select * from visit_events
    union all
    select * from order_events
),

flagged as (
    select
        *,
        rep_id is not null and row_number() over (
            partition by customer_id, rep_id order by event_at, event_id
        ) = 1 as first_by_rep
    from events
)

select
    c.customer_idx,
    e.event_at,
    e.is_visit,
    e.result,
    last_value(e.target ignore nulls) over upto as target,
    date_diff('second', lag(e.event_at) over ordered, e.event_at) / 86400.0 as days_since_prev,
    coalesce(lag(e.result) over ordered, 0) as prev_result,
    max(e.result) over upto as ever_ordered,
    sum(e.result) over upto as n_orders,
    sum(e.is_visit) over upto as n_visits,
    sum(cast(e.first_by_rep as integer)) over upto as n_reps,
    count(*) filter (where e.result = 1) over last_year as orders_365,
    max(case when e.result = 1 then e.event_at end) over upto as last_order_at,
    min(case when e.result = 1 then e.event_at end) over upto as first_order_at,
    e.amount
from flagged as e
inner join numbered_customers as c
    on c.customer_id = e.customer_id
window
    ordered as (partition by c.customer_idx order by e.event_at, e.is_visit desc, e.event_id),
    upto as (
        partition by c.customer_idx
        order by e.event_at, e.is_visit desc, e.event_id
        rows between unbounded preceding and current row
    ),
    last_year as (
        partition by c.customer_idx
        order by e.event_at
        range between interval 365 days preceding and current row
    )
order by c.customer_idx, e.event_at, e.is_visit desc, e.event_id
