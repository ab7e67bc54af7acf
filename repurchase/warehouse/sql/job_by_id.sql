-- job_by_id: one background job.
-- params: $job_id BIGINT
-- returns: every column of jobs
select
    *
from jobs
where job_id = $job_id
