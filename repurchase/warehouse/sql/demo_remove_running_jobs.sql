-- demo_remove_running_jobs: the kinds of job running now that would write results of the demo
-- after it is removed (an import is the removal itself).
-- params: none
-- returns: kind
select
    kind
from job_slots
where job_id is not null and kind <> 'import'
order by 1
