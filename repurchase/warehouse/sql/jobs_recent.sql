-- jobs_recent: the latest background jobs (retrain, backtest, import), running ones first.
-- params: $limit INTEGER
-- returns: every column of jobs
select
    *
from jobs
order by
    status in ('queued', 'running') desc,
    job_id desc
limit $limit
