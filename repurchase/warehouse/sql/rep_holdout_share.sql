-- rep_holdout_share: the hold-out share each rep's customers are drawn at in the period
-- starting $start: their team's share in force then ('' is the team of reps without one;
-- null where the team never set one: the default applies).
-- params: $start DATE
-- returns: rep_id, share
with in_force as (
    select
        team,
        share,
        row_number() over (partition by team order by effective_from desc) as newest
    from team_holdout_shares
    where effective_from <= $start
)

select
    r.rep_id,
    i.share
from reps as r
left join in_force as i
    on i.team = coalesce(r.team, '')
    and i.newest = 1
order by r.rep_id
