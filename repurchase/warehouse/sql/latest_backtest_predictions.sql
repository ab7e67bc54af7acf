-- latest_backtest_predictions: out-of-time predictions of the most recent backtest run.
-- params: none
-- returns: week, customer_id, method, p, label
select
    week,
    customer_id,
    method,
    p,
    label
from backtest_predictions
where run_id = (select max(run_id) from backtest_runs)
order by week, customer_id, method
