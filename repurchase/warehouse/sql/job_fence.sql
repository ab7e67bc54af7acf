-- job_fence: a job about to write checks, inside the write's transaction, that it still holds
-- its kind's slot (nobody closed it meanwhile). Taking the slot's row orders the write against
-- whoever frees it; the job's own heartbeat writes the job's row, never this one.
-- params: $kind VARCHAR, $job_id BIGINT
-- returns: nothing (changed rows: 1 while the job may write, 0 once its slot was freed)
update job_slots set
    job_id = job_id
where kind = $kind and job_id = $job_id
