-- snapshot_orders: one chunk of the orders the feature queries read (sql/feature_events.sql),
-- by order id, for a copy made in short units of work.
-- params: $first BIGINT, $last BIGINT (inclusive), $until TIMESTAMP (exclusive)
-- returns: order_id, customer_id, order_date, amount
select
    order_id,
    customer_id,
    order_date,
    amount
from orders
where order_id between $first and $last
    and cast(order_date as timestamp) < $until
