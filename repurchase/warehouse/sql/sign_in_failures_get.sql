-- sign_in_failures_get: the failures counted for one name from one address.
-- params: $username VARCHAR, $client VARCHAR
-- returns: failures, blocked_until
select
    failures,
    blocked_until
from sign_in_failures
where username = $username
    and client = $client
