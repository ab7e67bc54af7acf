-- list_action_undo: mark a skip or snooze undone (the row is kept).
-- params: $action_id BIGINT, $undone_at TIMESTAMP, $undone_by VARCHAR
update list_actions
set
    undone_at = $undone_at,
    undone_by = $undone_by
where action_id = $action_id
