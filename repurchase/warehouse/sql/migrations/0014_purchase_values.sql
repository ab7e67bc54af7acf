-- 0014_purchase_values: what each purchase day was worth, beside purchase_days (0006), so the
-- hold-out can compare order value as well as ordering (issue 11). One row per customer and day
-- with a purchase: the day's order records when there are any (the ERP's figure), else the
-- amounts of that day's successful visits; 0 when neither is priced. Counting both would count
-- an order twice, since a won visit is usually also an order record.
create view purchase_values as
    with order_days as (
        select customer_id, order_date as day, sum(amount) as amount
        from orders
        group by customer_id, order_date
    ),

    visit_days as (
        select customer_id, cast(visited_at as date) as day, sum(order_amount) as amount
        from visits
        where result = 'order'
        group by customer_id, cast(visited_at as date)
    )

    select
        coalesce(o.customer_id, v.customer_id) as customer_id,
        coalesce(o.day, v.day) as day,
        cast(coalesce(o.amount, v.amount, 0) as double) as amount
    from order_days as o
    full outer join visit_days as v
        on v.customer_id = o.customer_id
        and v.day = o.day;
