-- team_daily_target_write: a team's daily calls per rep from $from on; the row keeps who set it
-- and when. Run after team_daily_target_delete in the same transaction (no `on conflict`: it
-- also runs on an attached PostgreSQL database).
-- params: $team VARCHAR, $from DATE, $calls INTEGER, $updated_by VARCHAR
-- returns: nothing
insert into team_daily_targets (team, effective_from, calls, updated_by, updated_at)
values ($team, $from, $calls, $updated_by, current_timestamp)
