-- model_versions_without_artefact: registered versions whose artefact the warehouse holds no
-- copy of (registered before migration 0018), oldest first.
-- params: none
-- returns: version, artefact_path
select
    version,
    artefact_path
from model_versions
where version not in (select version from model_artefacts)
order by version
