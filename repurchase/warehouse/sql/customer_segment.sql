-- customer_segment: what a CRM shows of a customer's orders at the moment of a call, for the
-- target segment of a visit logged with one tap (services/quick_outcomes.py): how many order
-- days so far and the last one. An order is an order record or a visit that got one, one per
-- day, as on the call list.
-- params: $customer_id VARCHAR, $day DATE
-- returns: n_orders, last_order
with order_days as (
    select
        order_date as day
    from orders
    where customer_id = $customer_id
        and order_date <= $day
    union
    select
        cast(visited_at as date)
    from visits
    where customer_id = $customer_id
        and result = 'order'
        and visited_at < cast($day as timestamp) + interval 1 day
)

select
    count(*) as n_orders,
    max(day) as last_order
from order_days
