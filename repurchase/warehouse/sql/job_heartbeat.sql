-- job_heartbeat: a running job is alive, this far on.
-- params: $now TIMESTAMP, $progress DOUBLE, $message VARCHAR, $job_id BIGINT
-- returns: nothing
update jobs set
    heartbeat_at = $now,
    progress = $progress,
    message = $message
where job_id = $job_id
