-- day_scores_insert: store one day's scores, registered as the view `new_scores`.
-- params: none
insert into scores (
    score_date,
    customer_id,
    model_version,
    p_order,
    p_raw,
    horizon_days,
    n_history,
    expected_value,
    typical_order,
    churn_risk,
    at_risk,
    call_effect,
    p_self,
    effect_value
)
select
    score_date,
    customer_id,
    model_version,
    p_order,
    p_raw,
    horizon_days,
    n_history,
    expected_value,
    typical_order,
    churn_risk,
    at_risk,
    call_effect,
    p_self,
    effect_value
from new_scores
