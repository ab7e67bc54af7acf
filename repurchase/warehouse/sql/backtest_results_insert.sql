-- backtest_results_insert: store a run's weekly results, registered as the view `bt_weekly`.
-- params: none
insert into backtest_results (
    run_id,
    week,
    method,
    precision,
    listed,
    candidates,
    auc,
    brier,
    reps_success_rate,
    base_rate
)
select
    run_id,
    week,
    method,
    precision,
    listed,
    candidates,
    auc,
    brier,
    reps_success_rate,
    base_rate
from bt_weekly
