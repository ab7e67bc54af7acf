-- job_fence: a job about to write checks, inside the write's transaction, that it is still
-- running (nobody closed it meanwhile); taking its row also orders the write against whoever
-- closes it.
-- params: $now TIMESTAMP, $job_id BIGINT
-- returns: nothing (changed rows: 1 while the job may write, 0 once it was closed)
update jobs set
    heartbeat_at = $now
where job_id = $job_id and status in ('queued', 'running')
