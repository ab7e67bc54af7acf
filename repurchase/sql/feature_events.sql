-- feature_events: every customer event before $until, with the paper's time-dependent
-- features (section 2.2) computed per customer in time order. An event is a visit, or an
-- order that no successful visit of the same customer and day already accounts for (online
-- orders arrive without any visit, yet they are purchases the model must see).
-- Every window frame ends at the current row, so an event's features use only earlier events.
-- params: $until TIMESTAMP (exclusive)
-- returns: customer_id, event_at, is_visit, result, rep_id, target,
--          days_since_prev, prev_result, ever_ordered, n_orders, n_visits, n_reps,
--          orders_365, last_order_at, first_order_at
with visit_events as (
    select
        customer_id,
        visited_at as event_at,
        1 as is_visit,
        case when result = 'order' then 1 else 0 end as result,
        rep_id,
        target,
        visit_id as event_id
    from visits
    where visited_at < $until
),

order_events as (
    select
        o.customer_id,
        -- an order has a date only; noon keeps it inside its day whatever the anchor time
        cast(o.order_date as timestamp) + interval 12 hour as event_at,
        0 as is_visit,
        1 as result,
        cast(null as varchar) as rep_id,
        cast(null as varchar) as target,
        o.order_id as event_id
    from orders as o
    where cast(o.order_date as timestamp) + interval 12 hour < $until
        and not exists (
            select 1
            from visits as v
            where v.customer_id = o.customer_id
                and v.result = 'order'
                and cast(v.visited_at as date) = o.order_date
        )
),

events as (
    select * from visit_events
    union all
    select * from order_events
)

select
    customer_id,
    event_at,
    is_visit,
    result,
    rep_id,
    last_value(target ignore nulls) over upto as target,
    date_diff('second', lag(event_at) over ordered, event_at) / 86400.0 as days_since_prev,
    coalesce(lag(result) over ordered, 0) as prev_result,
    max(result) over upto as ever_ordered,
    sum(result) over upto as n_orders,
    sum(is_visit) over upto as n_visits,
    count(distinct rep_id) over upto as n_reps,
    count(*) filter (where result = 1) over last_year as orders_365,
    max(case when result = 1 then event_at end) over upto as last_order_at,
    min(case when result = 1 then event_at end) over upto as first_order_at
from events
window
    ordered as (partition by customer_id order by event_at, is_visit desc, event_id),
    upto as (
        partition by customer_id
        order by event_at, is_visit desc, event_id
        rows between unbounded preceding and current row
    ),
    last_year as (
        partition by customer_id
        order by event_at
        range between interval 365 days preceding and current row
    )
order by customer_id, event_at, is_visit desc, event_id
