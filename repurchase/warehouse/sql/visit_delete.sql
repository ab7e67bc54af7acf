-- visit_delete: an entry deleted by the user who made it (the audit keeps what it was).
-- params: $visit_id BIGINT
-- returns: nothing
delete from visits
where visit_id = $visit_id
