-- active_list_actions: the snoozes and skips in force on a day (not undone), one row per rep
-- and customer (the latest action wins). Read when a day's lists are written (a snoozed
-- customer is left off) and when a list is shown (a customer skipped or snoozed after the list
-- was written is set aside, the next one moves up).
-- params: $day DATE
-- returns: rep_id, customer_id, action, first_day, until_day, reason, entered_by, entered_at
select
    rep_id,
    customer_id,
    action,
    first_day,
    until_day,
    reason,
    entered_by,
    entered_at
from list_actions_in_force($day)
