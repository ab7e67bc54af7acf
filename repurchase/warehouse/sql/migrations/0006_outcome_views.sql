-- 0006_outcome_views: one definition of "the customer ordered that day" and of "the last day
-- with data", shared by every evaluation query so that they cannot drift apart.

-- A purchase is an order record or a visit that ended in an order, one row per customer and day.
create view purchase_days as
    select customer_id, order_date as day from orders
    union
    select customer_id, cast(visited_at as date) from visits where result = 'order';

-- The last day any order or visit is recorded: outcomes after it are not known yet.
create view observed_until as
    select max(day) as last_day
    from (
        select max(order_date) as day from orders
        union all
        select max(cast(visited_at as date)) from visits
    );
