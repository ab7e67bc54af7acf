-- customer_orders: one customer's order records, newest first.
-- params: $customer_id VARCHAR
-- returns: order_date, amount, source
select
    order_date,
    amount,
    source
from orders
where customer_id = $customer_id
order by order_date desc
