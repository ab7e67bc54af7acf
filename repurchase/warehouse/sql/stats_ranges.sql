-- stats_ranges: what the warehouse covers, for `python -m repurchase stats`.
-- params: none
-- returns: what, first, last, rows
select
    'visits' as what,
    cast(min(visited_at) as date) as first,
    cast(max(visited_at) as date) as last,
    count(*) as rows
from visits
union all
select
    'orders',
    min(order_date),
    max(order_date),
    count(*)
from orders
union all
select
    'call lists',
    min(list_date),
    max(list_date),
    count(*)
from call_lists
