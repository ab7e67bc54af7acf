-- serving_ranking: what the serving model's gate chose to rank the lists by, and why, as its
-- metrics record them (no row when no version serves; nulls when its run chose nothing).
-- params: none
-- returns: ranking_choice, ranking_reason
select
    json_extract_string(metrics, '$.ranking_choice') as ranking_choice,
    json_extract_string(metrics, '$.ranking_reason') as ranking_reason
from model_versions
where status = 'serving'
