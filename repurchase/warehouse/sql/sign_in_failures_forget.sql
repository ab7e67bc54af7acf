-- sign_in_failures_forget: drop the counts of names nobody has tried since $old.
-- params: $old TIMESTAMP
delete from sign_in_failures
where last_failure_at < $old
