-- serving_ranking: what the serving model's gate chose to rank the lists by, and why, as its
-- metrics record them (no row when no version serves; nulls when its run chose nothing).
-- params: none
-- ranking_evidence is the gate's figures by ranking (JSON text), from which the app says why in
-- the reader's language.
-- returns: ranking_choice, ranking_reason, ranking_evidence
select
    json_extract_string(metrics, '$.ranking_choice') as ranking_choice,
    json_extract_string(metrics, '$.ranking_reason') as ranking_reason,
    cast(json_extract(metrics, '$.ranking_evidence') as varchar) as ranking_evidence
from model_versions
where status = 'serving'
