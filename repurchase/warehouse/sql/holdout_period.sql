-- holdout_period: the customers recorded as held out in the hold-out period starting $start.
-- params: $start DATE
-- returns: customer_id, rep_id
select
    customer_id,
    rep_id
from holdout_assignments
where period_start = $start
order by rep_id, customer_id
