-- model_versions_reject_candidates: reject every version still 'candidate' (left by a run that
-- was killed before the promotion decided).
-- params: none
-- returns: nothing
update model_versions set status = 'rejected' where status = 'candidate'
