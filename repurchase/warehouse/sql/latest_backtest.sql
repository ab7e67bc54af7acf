-- latest_backtest: the weekly results of the most recent backtest run.
-- params: none
-- returns: run_id, created_at, week, method, precision, listed, candidates, auc, brier,
--          reps_success_rate, base_rate
with latest as (
    select run_id, created_at
    from backtest_runs
    order by run_id desc
    limit 1
)

select
    r.run_id,
    l.created_at,
    r.week,
    r.method,
    r.precision,
    r.listed,
    r.candidates,
    r.auc,
    r.brier,
    r.reps_success_rate,
    r.base_rate
from backtest_results as r
inner join latest as l
    on l.run_id = r.run_id
order by r.week, r.method
