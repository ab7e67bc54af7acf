-- users_mail_preferences: one user's address and whether they opted out of the mails.
-- params: $username VARCHAR
-- returns: email, email_opt_out
select
    email,
    coalesce(email_opt_out, false) as email_opt_out
from users
where username = $username
