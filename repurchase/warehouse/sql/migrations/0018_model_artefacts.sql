-- 0018_model_artefacts: each model version's artefact (model.pt, a few hundred kB) is kept in
-- the warehouse too, not only in the models folder of the server that trained it. With several
-- app servers (PostgreSQL), a version trained and promoted on one is served by every other
-- without a shared folder: a server that lacks the file copies it from here on first use and
-- checks its SHA-256. Versions registered before this migration have no row; a server needs
-- their file (move-to-postgres stores the ones it finds).
create table model_artefacts (
    version   varchar primary key,
    artefact  blob not null,
    sha256    varchar not null
);
