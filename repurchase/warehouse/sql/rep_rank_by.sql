-- rep_rank_by: what each rep's list is ranked by, from their team's setting ('' is the team of
-- reps without one); 'auto' (what the serving model's gate chose) when the team has no row.
-- params: none
-- returns: rep_id, team, rank_by
select
    r.rep_id,
    coalesce(r.team, '') as team,
    coalesce(t.rank_by, 'auto') as rank_by
from reps as r
left join team_settings as t
    on t.team = coalesce(r.team, '')
order by r.rep_id
