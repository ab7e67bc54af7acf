-- team_setting_write: set what one team's lists rank by; the row keeps who set it and when.
-- params: $team VARCHAR, $rank_by VARCHAR, $updated_by VARCHAR
insert into team_settings (team, rank_by, updated_by, updated_at)
values ($team, $rank_by, $updated_by, current_timestamp)
on conflict (team) do update set
    rank_by = excluded.rank_by,
    updated_by = excluded.updated_by,
    updated_at = excluded.updated_at
