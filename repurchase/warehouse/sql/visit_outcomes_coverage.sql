-- visit_outcomes_coverage: what visit_outcomes_daily covers: days up to built_through, entries
-- made before cutoff (no row: nothing is covered).
-- params: none
-- returns: built_through, cutoff
select
    built_through,
    cutoff
from visit_outcomes_built
where id = 1
