-- model_version_reject: a version judged no better than the serving one is rejected.
-- params: $version VARCHAR
-- returns: nothing
update model_versions set status = 'rejected' where version = $version
