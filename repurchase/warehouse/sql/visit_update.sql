-- visit_update: an entry changed by the user who made it (its customer never changes).
-- params: $visit_id BIGINT, $at TIMESTAMP, $method VARCHAR, $target VARCHAR, $purpose VARCHAR,
--         $result VARCHAR, $note VARCHAR, $amount DECIMAL, $follow_up DATE
-- returns: nothing
update visits set
    visited_at = $at,
    method = $method,
    target = $target,
    purpose = $purpose,
    result = $result,
    note = $note,
    order_amount = $amount,
    follow_up_date = $follow_up
where visit_id = $visit_id
