-- list_action_insert: record a rep's skip or snooze of a customer.
-- params: $action_id BIGINT, $rep_id VARCHAR, $customer_id VARCHAR, $action VARCHAR,
--         $first_day DATE, $until_day DATE, $reason VARCHAR, $note VARCHAR,
--         $entered_by VARCHAR, $entered_at TIMESTAMP
insert into list_actions (
    action_id,
    rep_id,
    customer_id,
    action,
    first_day,
    until_day,
    reason,
    note,
    entered_by,
    entered_at
)
values (
    $action_id,
    $rep_id,
    $customer_id,
    $action,
    $first_day,
    $until_day,
    $reason,
    $note,
    $entered_by,
    $entered_at
)
