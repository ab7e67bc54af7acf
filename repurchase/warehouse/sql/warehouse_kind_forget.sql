-- warehouse_kind_forget: forget what kind of warehouse this is (demo or company) and whether the
-- demo build completed, before recording it anew.
-- params: $kind_key VARCHAR, $complete_key VARCHAR
-- returns: nothing
delete from app_settings
where key in ($kind_key, $complete_key)
