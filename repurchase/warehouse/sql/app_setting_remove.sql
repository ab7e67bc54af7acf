-- app_setting_remove: remove one application setting.
-- params: $key VARCHAR
-- returns: nothing
delete from app_settings
where key = $key
