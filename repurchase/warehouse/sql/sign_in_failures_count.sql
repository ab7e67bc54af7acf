-- sign_in_failures_count: attempts counted for a name since its last success, from one
-- address or (null) from all.
-- params: $username VARCHAR, $client VARCHAR
-- returns: failures
select coalesce(sum(failures), 0)
from sign_in_failures
where username = $username
    and ($client is null or client = $client)
