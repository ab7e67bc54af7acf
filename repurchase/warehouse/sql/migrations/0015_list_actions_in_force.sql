-- 0015_list_actions_in_force: one definition of "the snoozes and skips in force on a day",
-- read when lists are written, when a list is shown and when the next customer moves up (it
-- was written out three times). Not undone; the latest action per rep and customer wins.
create macro list_actions_in_force(d) as table
    select
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
    from list_actions
    where first_day <= d
        and until_day > d
        and undone_at is null
    qualify row_number() over (
        partition by rep_id, customer_id order by entered_at desc, action_id desc
    ) = 1;
