-- 0012_models: the measures a backtest run adds beside its weekly precision (issue 11): the
-- value model against its baseline, order value per call ranked by probability or by value,
-- the re-call rule, the churn flag's precision and recall. One JSON document per run (see
-- backtest.value_measures and backtest.churn_measures): the figures are few and read whole.

alter table backtest_runs add column measures json;
