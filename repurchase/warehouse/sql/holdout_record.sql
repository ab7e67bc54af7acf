-- holdout_record: store one period's draw, registered as the view `drawn`.
-- params: none
-- Run in the transaction that writes the lists the draw keeps customers off, after
-- holdout_period found no record for the period (the first record wins).
insert into holdout_assignments (
    period_start,
    period_end,
    customer_id,
    rep_id,
    share,
    seed
)
select
    period_start,
    period_end,
    customer_id,
    rep_id,
    share,
    seed
from drawn
