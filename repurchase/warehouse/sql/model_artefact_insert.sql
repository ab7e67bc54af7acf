-- model_artefact_insert: keep a version's artefact in the warehouse, so that every server
-- reading it can load the version.
-- params: $version VARCHAR, $artefact BLOB, $sha256 VARCHAR
-- returns: nothing
insert into model_artefacts (version, artefact, sha256)
values ($version, $artefact, $sha256)
