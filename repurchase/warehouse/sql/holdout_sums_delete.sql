-- holdout_sums_delete: drop every kept sum (a build writes them all again).
-- params: none
-- returns: nothing
delete from holdout_sums
