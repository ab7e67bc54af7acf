-- sign_in_failures_update: one more attempt counted for a name from an address.
-- params: $failures INTEGER, $now TIMESTAMP, $blocked_until TIMESTAMP, $username VARCHAR,
--   $client VARCHAR
update sign_in_failures set
    failures = $failures,
    last_failure_at = $now,
    blocked_until = $blocked_until
where username = $username
    and client = $client
