-- day_lists_count: how many call-list rows one day has (0: its lists are not written yet).
-- params: $day DATE
-- returns: rows
select count(*) as rows
from call_lists
where list_date = $day
