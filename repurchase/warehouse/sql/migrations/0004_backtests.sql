-- 0004_backtests: results of rolling weekly backtests, so the Model page can show the latest
-- run (Table 1, Figure 6 and every baseline) without re-running it.

create sequence backtest_run_id_seq start 1;

create table backtest_runs (
    run_id      bigint primary key default nextval('backtest_run_id_seq'),
    created_at  timestamp not null default current_timestamp,
    config      json not null,
    seconds     double not null
);

create table backtest_results (
    run_id             bigint not null,
    week               date not null,
    method             varchar not null,
    precision          double,
    listed             integer not null,
    candidates         integer not null,
    auc                double,
    brier              double,
    reps_success_rate  double,
    base_rate          double,
    primary key (run_id, week, method)
);

-- out-of-time predictions of the probabilistic methods, for reliability curves
create table backtest_predictions (
    run_id       bigint not null,
    week         date not null,
    customer_id  varchar not null,
    method       varchar not null,
    p            double not null,
    label        integer not null
);
