-- job_slot_free: a job that ended gives its kind's slot back (if it still holds it).
-- params: $kind VARCHAR, $job_id BIGINT
-- returns: nothing
update job_slots set job_id = null
where kind = $kind and job_id = $job_id
