-- model_versions_retire_serving: the serving version stops serving (another is promoted in
-- the same transaction).
-- params: none
-- returns: nothing
update model_versions set status = 'retired' where status = 'serving'
