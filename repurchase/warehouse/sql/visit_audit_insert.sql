-- visit_audit_insert: one create, edit or delete of a visit, with the row before and after.
-- params: $visit_id BIGINT, $action VARCHAR, $changed_by VARCHAR, $before VARCHAR (JSON),
--         $after VARCHAR (JSON)
-- returns: nothing
insert into visit_audit (visit_id, action, changed_by, before, after)
values ($visit_id, $action, $changed_by, $before, $after)
