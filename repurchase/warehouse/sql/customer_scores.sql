-- customer_scores: one customer's score history (every scored day and model version).
-- params: $customer_id VARCHAR
-- returns: score_date, model_version, p_order, horizon_days
select
    score_date,
    model_version,
    p_order,
    horizon_days
from scores
where customer_id = $customer_id
order by score_date, model_version
