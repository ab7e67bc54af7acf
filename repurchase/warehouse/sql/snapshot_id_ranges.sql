-- snapshot_id_ranges: the ids a snapshot copies, fixed when it starts, so rows written while it
-- copies in several short units are either all in it (ids up to the maximum) or all out of it.
-- params: none
-- returns: visits_first, visits_last, orders_first, orders_last (null for an empty table)
select
    (select min(visit_id) from visits) as visits_first,
    (select max(visit_id) from visits) as visits_last,
    (select min(order_id) from orders) as orders_first,
    (select max(order_id) from orders) as orders_last
