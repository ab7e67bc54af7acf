-- model_version_serving_path: the serving version and where its artefact was saved.
-- params: none
-- returns: version, artefact_path (no row when no version serves)
select
    version,
    artefact_path
from model_versions
where status = 'serving'
