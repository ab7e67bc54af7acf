-- backtest_run_insert: record one backtest run: its configuration, duration and measures.
-- params: $run_id BIGINT, $config VARCHAR, $seconds DOUBLE, $measures VARCHAR
insert into backtest_runs (
    run_id,
    config,
    seconds,
    measures
)
values (
    $run_id,
    $config,
    $seconds,
    $measures
)
