-- holdout_sums_stale: visits, orders or lists of $day changed (an import, a list written again).
-- A kept unit can only change if $day is on or before the last day the sums counted (its
-- window or its period's prior orders reach no later); then every read is live until the
-- nightly job builds them again. Runs in the transaction that makes the change.
-- params: $day DATE
-- returns: nothing
delete from holdout_sums_built
where last_day >= cast($day as date)
