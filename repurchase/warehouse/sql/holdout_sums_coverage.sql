-- holdout_sums_coverage: what holdout_sums holds (no row: nothing, read live).
-- params: none
-- returns: first_day, last_day, last_listed, built_at
select
    first_day,
    last_day,
    last_listed,
    built_at
from holdout_sums_built
where id = 1
