-- holdout_units_bounds: the purchase days holdout_units can look at for lists between $first
-- and $last: from the start of the prior window of the earliest hold-out period those lists
-- fall in, to the end of the last list day's outcome window (exclusive). Passed back to
-- holdout_units as constants, so that its reads of purchases are ranges sent to PostgreSQL
-- rather than every order and order visit ever made. Dates, not the timestamps a date plus an
-- interval makes: a range on orders.order_date is sent to PostgreSQL only against a date.
-- params: $first DATE, $last DATE, $window_days INTEGER
-- returns: purchases_from, purchases_until
with periods as (
    select distinct
        period_start,
        period_end
    from holdout_assignments
    where period_end > $first
        and period_start <= $last
)

select
    cast(
        coalesce(
            min(period_start - to_days(cast(period_end - period_start as integer))),
            cast($first as date)
        ) as date
    ) as purchases_from,
    cast(cast($last as date) + to_days(cast($window_days as integer)) as date) as purchases_until
from periods
