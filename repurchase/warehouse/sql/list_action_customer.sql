-- list_action_customer: the customer a snooze or skip is about.
-- params: $action_id BIGINT
-- returns: customer_id
select customer_id
from list_actions
where action_id = $action_id
