-- model_versions: every trained model, newest first.
-- params: none
-- train_end is the end of the history the model saw (exclusive).
-- returns: version, created_at, train_start, train_end, architecture, status, promoted_at,
--          valid_auc, precision_at_n, artefact_path
select
    version,
    created_at,
    train_start,
    train_end,
    architecture,
    status,
    promoted_at,
    cast(json_extract(metrics, '$.valid_auc') as double) as valid_auc,
    cast(json_extract(metrics, '$.precision_at_n') as double) as precision_at_n,
    artefact_path
from model_versions
order by created_at desc
