-- visit_insert: a visit logged in the app.
-- params: $id BIGINT, $rep VARCHAR, $customer VARCHAR, $at TIMESTAMP, $method VARCHAR,
--         $target VARCHAR, $purpose VARCHAR, $result VARCHAR, $note VARCHAR,
--         $amount DECIMAL, $follow_up DATE, $by VARCHAR, $now TIMESTAMP
-- returns: nothing
insert into visits (
    visit_id,
    rep_id,
    customer_id,
    visited_at,
    method,
    target,
    purpose,
    result,
    note,
    order_amount,
    follow_up_date,
    source,
    entered_by,
    entered_at
)
values (
    $id,
    $rep,
    $customer,
    $at,
    $method,
    $target,
    $purpose,
    $result,
    $note,
    $amount,
    $follow_up,
    'app',
    $by,
    $now
)
