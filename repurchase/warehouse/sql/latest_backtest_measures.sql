-- latest_backtest_measures: the value, ranking, re-call and churn measures of the most recent
-- backtest run (null for a run made before they existed).
-- params: none
-- returns: run_id, created_at, measures
select
    run_id,
    created_at,
    measures
from backtest_runs
order by run_id desc
limit 1
