-- visit_submission_find: the visit a form's submission already stored, if any.
-- params: $submission_id VARCHAR
-- returns: visit_id (no row when not stored yet)
select
    visit_id
from visit_submissions
where submission_id = $submission_id
