-- day_scores_delete: remove one model version's scores of one day before they are written again.
-- params: $day DATE, $version VARCHAR
delete from scores
where score_date = $day
    and model_version = $version
