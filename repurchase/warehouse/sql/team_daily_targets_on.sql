-- team_daily_targets_on: each team's daily call target in force on $day (the latest set on or
-- before it), with who set it and when. Teams that never set one have no row.
-- params: $day DATE
-- returns: team, calls, effective_from, updated_by, updated_at
select
    team,
    calls,
    effective_from,
    updated_by,
    updated_at
from team_daily_targets
where effective_from <= $day
qualify row_number() over (partition by team order by effective_from desc) = 1
