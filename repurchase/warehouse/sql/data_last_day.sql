-- data_last_day: the last day the warehouse has visits or orders for (what a report is
-- "as of").
-- params: none
-- returns: last_day
select
    greatest(
        (select max(cast(visited_at as date)) from visits),
        (select max(order_date) from orders)
    ) as last_day
