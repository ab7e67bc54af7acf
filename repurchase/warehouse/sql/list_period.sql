-- list_period: the first and last day with call lists (the period the product was in use).
-- params: none
-- returns: first_day, last_day
select
    min(list_date) as first_day,
    max(list_date) as last_day
from call_lists
