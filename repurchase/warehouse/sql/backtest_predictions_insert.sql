-- backtest_predictions_insert: store a run's out-of-time predictions, registered as the view
-- `bt_predictions`.
-- params: none
insert into backtest_predictions (
    run_id,
    week,
    customer_id,
    method,
    p,
    label
)
select
    run_id,
    week,
    customer_id,
    method,
    p,
    label
from bt_predictions
