-- job_slot_take: a job takes its kind's slot (two transactions racing for the row conflict).
-- params: $job_id BIGINT, $kind VARCHAR
-- returns: nothing
update job_slots set job_id = $job_id
where kind = $kind
