-- app_setting_value: one application setting.
-- params: $key VARCHAR
-- returns: value (no row when the setting is not set)
select
    value
from app_settings
where key = $key
