-- model_version_reject_candidate: a candidate that will not be judged (its run was cancelled)
-- is rejected; a version already judged keeps its status.
-- params: $version VARCHAR
-- returns: nothing
update model_versions set status = 'rejected'
where version = $version and status = 'candidate'
