-- team_at_risk: per rep, the customers they own now that the latest scoring on or before $day
-- flagged as drifting away (scores.at_risk). Several model versions may have scored that day:
-- the row written last counts, as it is the one the lists were written from.
-- params: $reps VARCHAR[], $day DATE
-- returns: rep_id, score_day, scored, at_risk
with latest_day as (
    select max(score_date) as score_day
    from scores
    where score_date <= $day
),

latest as (
    select
        s.customer_id,
        s.score_date,
        arg_max(s.at_risk, s.created_at) as at_risk
    from scores as s
    inner join latest_day as d
        on s.score_date = d.score_day
    group by all
)

select
    c.owner_rep_id as rep_id,
    max(l.score_date) as score_day,
    count(*) as scored,
    count_if(coalesce(l.at_risk, false)) as at_risk
from latest as l
inner join customers as c
    on c.customer_id = l.customer_id
where list_contains($reps, c.owner_rep_id)
group by c.owner_rep_id
order by c.owner_rep_id
