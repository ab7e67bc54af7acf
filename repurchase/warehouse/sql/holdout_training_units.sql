-- holdout_training_units: the randomised units a training run may learn from and judge on: per
-- hold-out period, every customer a list showed (listed) or withheld (held out although the
-- model ranked it onto the list) on a day before $until. Within these the hold-out decided at
-- random who was shown, so listed vs withheld is free of the reps' choice (model/effect.py,
-- model/ranking_gate.py).
-- params: $until DATE
-- returns: period_start, period_end, customer_id, held_out, listed
with periods as (
    select distinct
        period_start,
        period_end
    from holdout_assignments
)

select
    h.period_start,
    h.period_end,
    l.customer_id,
    bool_or(l.held_out) as held_out,
    true as listed
from call_lists as l
inner join periods as h
    on l.list_date >= h.period_start
    and l.list_date < h.period_end
where l.list_date < $until
group by h.period_start, h.period_end, l.customer_id
order by h.period_start, l.customer_id
