-- job_cancel_request: ask a job to stop at its next progress point (the first request counts).
-- params: $now TIMESTAMP, $by VARCHAR, $job_id BIGINT
-- returns: nothing
update jobs set
    cancel_requested_at = $now,
    cancel_requested_by = $by
where job_id = $job_id and cancel_requested_at is null
