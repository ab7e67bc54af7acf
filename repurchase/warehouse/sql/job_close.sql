-- job_close: record how an unfinished job ended (a finished one stays as it ended).
-- params: $status VARCHAR, $now TIMESTAMP, $outcome VARCHAR, $result VARCHAR (JSON),
--         $error VARCHAR, $job_id BIGINT
-- returns: nothing
update jobs set
    status = $status,
    finished_at = $now,
    outcome = $outcome,
    result = $result,
    error = $error,
    progress = case when $status = 'succeeded' then 1.0 else progress end
where job_id = $job_id and status in ('queued', 'running')
