-- customer_profile: one customer with its owner and order summary.
-- `orders` counts days with an order, as the call list's "orders so far" and the model do: an
-- order record or a visit that ended in an order, once per day (an order taken on a call
-- often has no order record, and "Visits with an order 6" beside "Orders 0" reads as a
-- contradiction). order_amount and last_order are the order records'.
-- params: $customer_id VARCHAR
-- returns: customer_id, name, customer_type, industry, tag, owner_rep_id, owner_name,
--          created_date, contact_name, contact_phone, visits, successful_visits, orders, order_amount, last_order
with purchases as (
    select order_date as day, amount from orders where customer_id = $customer_id
),

order_days as (
    select day from purchases
    union
    select cast(visited_at as date) as day
    from visits
    where customer_id = $customer_id
        and result = 'order'
)

select
    c.customer_id,
    c.name,
    c.customer_type,
    c.industry,
    c.tag,
    c.owner_rep_id,
    r.name as owner_name,
    c.created_date,
    c.contact_name,
    c.contact_phone,
    (select count(*) from visits where customer_id = $customer_id) as visits,
    (select count(*) from visits where customer_id = $customer_id and result = 'order')
        as successful_visits,
    (select count(*) from order_days) as orders,
    (select sum(amount) from purchases) as order_amount,
    (select max(day) from purchases) as last_order
from customers as c
left join reps as r
    on r.rep_id = c.owner_rep_id
where c.customer_id = $customer_id
