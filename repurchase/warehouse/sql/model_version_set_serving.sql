-- model_version_set_serving: one version serves from now on (after
-- model_versions_retire_serving, in the same transaction).
-- params: $version VARCHAR
-- returns: nothing
update model_versions set
    status = 'serving',
    promoted_at = now()
where version = $version
