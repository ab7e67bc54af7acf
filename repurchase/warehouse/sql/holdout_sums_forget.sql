-- holdout_sums_forget: the sums no longer hold (the demo's removal; a build about to write them
-- again): every read is live until the nightly job builds them.
-- params: none
-- returns: nothing
delete from holdout_sums_built
