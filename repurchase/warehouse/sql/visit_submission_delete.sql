-- visit_submission_delete: forget a deleted visit's submission, so the same content logged
-- again is a new visit, not a duplicate.
-- params: $visit_id BIGINT
-- returns: nothing
delete from visit_submissions
where visit_id = $visit_id
