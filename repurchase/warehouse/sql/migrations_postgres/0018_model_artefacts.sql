-- 0018_model_artefacts: each model version's artefact also in the warehouse, so every app
-- server can serve a version another trained (migrations/0018_model_artefacts.sql says why).
-- The same change as the DuckDB migration, in PostgreSQL's dialect (blob is bytea).
create table model_artefacts (
    version   varchar collate "C" primary key,
    artefact  bytea not null,
    sha256    varchar collate "C" not null
);
