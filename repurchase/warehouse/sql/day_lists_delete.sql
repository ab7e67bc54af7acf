-- day_lists_delete: remove one day's call lists before they are written again (a replace).
-- params: $day DATE
delete from call_lists
where list_date = $day
