-- team_setting_delete: remove one team's ranking setting before it is written again.
-- params: $team VARCHAR
delete from team_settings
where team = $team
