-- call_list_move_up: add the customer who takes a set-aside customer's place at the end of a
-- rep's list of a day (no reasons: it was not listed for its own).
-- params: $day DATE, $rep_id VARCHAR, $customer_id VARCHAR, $rank INTEGER, $p_order DOUBLE,
--         $model_version VARCHAR, $n_history INTEGER, $p_previous DOUBLE, $ranked_by VARCHAR,
--         $added_for VARCHAR
insert into call_lists (
    list_date,
    rep_id,
    customer_id,
    rank,
    p_order,
    model_version,
    reasons,
    n_history,
    held_out,
    p_previous,
    ranked_by,
    added_for
)
values (
    $day,
    $rep_id,
    $customer_id,
    $rank,
    $p_order,
    $model_version,
    '[]',
    $n_history,
    false,
    $p_previous,
    $ranked_by,
    $added_for
)
