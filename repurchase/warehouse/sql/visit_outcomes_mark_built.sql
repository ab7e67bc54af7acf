-- visit_outcomes_mark_built: visit_outcomes_daily now covers the days through $through, entries
-- made before $cutoff (after visit_outcomes_forget removed the previous row, in the same
-- transaction).
-- params: $through DATE, $cutoff TIMESTAMP
-- returns: nothing
insert into visit_outcomes_built (
    id,
    built_through,
    cutoff,
    built_at
)
values (1, $through, $cutoff, current_timestamp)
