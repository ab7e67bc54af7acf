-- model_version_insert_candidate: record a saved training run as a candidate version.
-- params: $version VARCHAR, $train_start DATE, $train_end DATE, $architecture VARCHAR,
--         $hyperparams VARCHAR (JSON), $metrics VARCHAR (JSON), $artefact_path VARCHAR
-- returns: nothing
insert into model_versions (
    version,
    train_start,
    train_end,
    architecture,
    hyperparams,
    metrics,
    artefact_path,
    status
)
values (
    $version,
    $train_start,
    $train_end,
    $architecture,
    $hyperparams,
    $metrics,
    $artefact_path,
    'candidate'
)
