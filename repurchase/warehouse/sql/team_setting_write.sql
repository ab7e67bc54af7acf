-- team_setting_write: set what one team's lists rank by; the row keeps who set it and when.
-- params: $team VARCHAR, $rank_by VARCHAR, $updated_by VARCHAR
-- Run after deleting the team's row in the same transaction (plain SQL, no `on conflict`: it
-- also runs on an attached PostgreSQL database).
insert into team_settings (team, rank_by, updated_by, updated_at)
values ($team, $rank_by, $updated_by, current_timestamp)
