-- next_to_move_up: the customer who takes a skipped or snoozed customer's place on a rep's
-- list: the best of the rep's current customers by the day's scores of the list's model, in
-- the list's own order (expected value, call effect or call effect x value when it ranks by
-- one of them, else the chance of an order),
-- that is not on the list yet (withheld rows included), not in the period's hold-out, and not
-- set aside by a skip or snooze in force. At most one row.
-- params: $rep_id VARCHAR, $day DATE, $model_version VARCHAR, $ranked_by VARCHAR
-- returns: customer_id, p_order, n_history, p_previous
with already_listed as (
    select customer_id
    from call_lists
    where rep_id = $rep_id
        and list_date = $day
),

held_out as (
    select customer_id
    from holdout_assignments
    where period_start <= $day
        and period_end > $day
),

set_aside as (
    select customer_id
    from list_actions_in_force($day)
    where rep_id = $rep_id
),

candidates as (
    select
        s.customer_id,
        s.p_order,
        s.n_history,
        s.expected_value,
        s.call_effect,
        s.effect_value
    from scores as s
    inner join customers as c
        on c.customer_id = s.customer_id
        and c.owner_rep_id = $rep_id
    where s.score_date = $day
        and s.model_version = $model_version
        and s.customer_id not in (select customer_id from already_listed)
        and s.customer_id not in (select customer_id from held_out)
        and s.customer_id not in (select customer_id from set_aside)
),

best as (
    select *
    from candidates
    order by
        case $ranked_by
            when 'value' then coalesce(expected_value, 0)
            when 'effect' then coalesce(call_effect, 0)
            when 'effect_value' then coalesce(effect_value, 0)
            else p_order
        end desc,
        p_order desc,
        customer_id
    limit 1
),

previous as (
    -- the chance on the rep's previous list day, for the card's arrow (as the list's rows)
    select
        s.p_order
    from scores as s
    inner join best as b
        on b.customer_id = s.customer_id
    where s.score_date < $day
    order by s.score_date desc, s.created_at desc
    limit 1
)

select
    b.customer_id,
    b.p_order,
    b.n_history,
    (select p_order from previous) as p_previous
from best as b
