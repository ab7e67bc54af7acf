-- users_set_email_opt_out: a user opts out of the reminder mails, or back in.
-- params: $opt_out BOOLEAN, $username VARCHAR
-- returns: the number of rows changed
update users set email_opt_out = $opt_out
where username = $username
