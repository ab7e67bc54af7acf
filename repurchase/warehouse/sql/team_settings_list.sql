-- team_settings_list: every team that has reps ('' for reps without a team), how many current
-- reps it has, and what its lists rank by ('auto': what the serving model's gate chose, unless
-- an admin chose otherwise), with who set it and when (null: never set).
-- params: none
-- returns: team, reps, rank_by, updated_by, updated_at
with teams as (
    select
        coalesce(team, '') as team,
        count_if(left_date is null) as reps
    from reps
    group by all
)

select
    t.team,
    t.reps,
    coalesce(s.rank_by, 'auto') as rank_by,
    s.updated_by,
    s.updated_at
from teams as t
left join team_settings as s
    on s.team = t.team
order by t.team
