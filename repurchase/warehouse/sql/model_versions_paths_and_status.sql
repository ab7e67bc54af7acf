-- model_versions_paths_and_status: every registered version, where its artefact was saved and
-- its status (clean_up tells left-overs of killed runs from registered versions by these).
-- params: none
-- returns: version, artefact_path, status
select
    version,
    artefact_path,
    status
from model_versions
