-- job_slot_holders: the kinds whose slot a job holds now, with that job.
-- params: none
-- returns: kind, job_id
select
    kind,
    job_id
from job_slots
where job_id is not null
order by 1
