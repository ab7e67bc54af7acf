-- team_holdout_share_delete: remove a team's share pending for the period starting $from (one
-- set again before its period starts replaces it); shares already in force are kept.
-- params: $team VARCHAR, $from DATE
delete from team_holdout_shares
where team = $team
    and effective_from = $from
