-- job_mark_running: a job starts running in this process (queued, or recorded as running by
-- the process that claimed it); no row changes for a job that ended or was closed.
-- params: $now TIMESTAMP, $pid INTEGER, $host VARCHAR, $job_id BIGINT
-- returns: nothing (changed_rows says whether it was claimed)
update jobs set
    status = 'running',
    started_at = coalesce(started_at, $now),
    heartbeat_at = $now,
    pid = $pid,
    host = $host
where job_id = $job_id and status in ('queued', 'running')
