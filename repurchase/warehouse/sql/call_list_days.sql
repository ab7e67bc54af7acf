-- call_list_days: the days in a range that have call lists, with how many reps and rows.
-- params: $first DATE, $last DATE
-- returns: list_date, reps, rows
select
    list_date,
    count(distinct rep_id) as reps,
    count(*) as rows
from call_lists
where list_date between $first and $last
group by list_date
order by list_date
