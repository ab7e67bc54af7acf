-- holdout_sums_mark_built: holdout_sums now holds the units of the lists from $first_day whose
-- window closed by $last_day, the latest first listed on $last_listed (after
-- holdout_sums_forget removed the previous row, in the same transaction).
-- params: $first_day DATE, $last_day DATE, $last_listed DATE
-- returns: nothing
insert into holdout_sums_built (
    id,
    first_day,
    last_day,
    last_listed,
    built_at
)
values (1, $first_day, $last_day, $last_listed, current_timestamp)
