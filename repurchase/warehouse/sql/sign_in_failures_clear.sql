-- sign_in_failures_clear: a right password: this address starts afresh for this name.
-- params: $username VARCHAR, $client VARCHAR
delete from sign_in_failures
where username = $username
    and client = $client
