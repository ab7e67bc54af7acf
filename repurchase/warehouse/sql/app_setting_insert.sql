-- app_setting_insert: record one application setting (the caller removed any earlier value).
-- params: $key VARCHAR, $value VARCHAR
-- returns: nothing
insert into app_settings (key, value)
values ($key, $value)
