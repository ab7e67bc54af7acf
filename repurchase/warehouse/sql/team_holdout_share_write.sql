-- team_holdout_share_write: set a team's hold-out share from the period starting $from; the
-- row keeps who set it and when.
-- params: $team VARCHAR, $from DATE, $share DOUBLE, $updated_by VARCHAR
-- Run after team_holdout_share_delete in the same transaction (plain SQL, no `on conflict`:
-- it also runs on an attached PostgreSQL database).
insert into team_holdout_shares (team, effective_from, share, updated_by, updated_at)
values ($team, $from, $share, $updated_by, current_timestamp)
