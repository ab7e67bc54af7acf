-- job_cancel_requested: who asked a job to stop, and when (nulls while nobody did).
-- params: $job_id BIGINT
-- returns: cancel_requested_by, cancel_requested_at
select
    cancel_requested_by,
    cancel_requested_at
from jobs
where job_id = $job_id
