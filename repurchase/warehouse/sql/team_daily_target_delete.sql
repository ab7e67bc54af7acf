-- team_daily_target_delete: a team's target set earlier the same day, replaced by a new one.
-- params: $team VARCHAR, $from DATE
-- returns: nothing
delete from team_daily_targets
where team = $team
    and effective_from = $from
