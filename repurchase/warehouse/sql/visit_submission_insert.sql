-- visit_submission_insert: the form's submission that stored a visit (saved again: found).
-- params: $submission_id VARCHAR, $visit_id BIGINT, $submitted_by VARCHAR,
--         $submitted_at TIMESTAMP
-- returns: nothing
insert into visit_submissions (submission_id, visit_id, submitted_by, submitted_at)
values ($submission_id, $visit_id, $submitted_by, $submitted_at)
