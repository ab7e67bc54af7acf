-- users_external_id_owner: the other user a company account is already linked to, if any.
-- params: $external_id VARCHAR, $username VARCHAR (the user it is to be linked to)
-- returns: username
select username
from users
where external_id = $external_id
    and username != $username
