-- stats_visit_outcomes: visit success rate overall and by rep level.
-- params: none
-- returns: level, visits, orders, success_rate
with visit_level as (
    select
        coalesce(r.level, '(unknown rep)') as level,
        v.result
    from visits as v
    left join reps as r
        on r.rep_id = v.rep_id
)
select
    level,
    count(*) as visits,
    count(*) filter (where result = 'order') as orders,
    avg(case when result = 'order' then 1.0 else 0.0 end) as success_rate
from visit_level
group by rollup (level)
order by level nulls last
