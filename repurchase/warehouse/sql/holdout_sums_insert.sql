-- holdout_sums_insert: store the sums registered as the view `new_holdout_sums`, whose columns
-- are the table's (evaluation/unit_sums.COLUMNS), matched by name.
-- params: none
-- returns: nothing
insert into holdout_sums by name
select *
from new_holdout_sums
