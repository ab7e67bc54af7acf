-- model_artefact_by_version: the warehouse's copy of one version's artefact.
-- params: $version VARCHAR
-- returns: artefact, sha256 (no row when the warehouse holds no copy)
select
    artefact,
    sha256
from model_artefacts
where version = $version
