-- visit_outcomes_delete: the outcome counts of $from and later, before they are built again.
-- params: $from DATE
-- returns: nothing
delete from visit_outcomes_daily
where day >= $from
