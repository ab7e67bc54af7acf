-- model_versions_promote: make one version the serving one from $at, retiring the version that
-- served before it.
-- params: $version VARCHAR, $at TIMESTAMP
update model_versions
set
    status = case when version = $version then 'serving' else 'retired' end,
    promoted_at = case when version = $version then $at else promoted_at end
where version = $version
    or status = 'serving'
