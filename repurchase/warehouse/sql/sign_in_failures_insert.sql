-- sign_in_failures_insert: the first attempt counted for a name from an address.
-- params: $username VARCHAR, $client VARCHAR, $now TIMESTAMP, $blocked_until TIMESTAMP
insert into sign_in_failures (
    username,
    client,
    failures,
    last_failure_at,
    blocked_until
)
values ($username, $client, 1, $now, $blocked_until)
