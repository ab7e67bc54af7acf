-- job_slot_holder: the job holding a kind's slot (null while none runs).
-- params: $kind VARCHAR
-- returns: job_id (null when free)
select
    job_id
from job_slots
where kind = $kind
