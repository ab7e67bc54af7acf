-- visit_outcomes_stale: visits or lists of $day changed in a way the outcome counts do not
-- follow (an import, a list written again): read $day and later live until the nightly job
-- builds them again. Runs in the transaction that makes the change.
-- params: $day DATE
-- returns: nothing
update visit_outcomes_built
set built_through = least(built_through, cast($day as date) - 1)
where id = 1
