-- model_version_path: one version and where its artefact was saved.
-- params: $version VARCHAR
-- returns: version, artefact_path (no row when there is no such version)
select
    version,
    artefact_path
from model_versions
where version = $version
