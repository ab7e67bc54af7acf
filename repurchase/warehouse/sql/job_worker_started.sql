-- job_worker_started: the worker process started for a queued job (unless it already said so).
-- params: $pid INTEGER, $host VARCHAR, $job_id BIGINT
-- returns: nothing
update jobs set
    pid = $pid,
    host = $host
where job_id = $job_id and pid is null
