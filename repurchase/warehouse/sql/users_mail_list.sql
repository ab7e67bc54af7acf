-- users_mail_list: every user's address and opt-out, for the admins' E-mail block.
-- params: none
-- returns: username, display_name, role, email, email_opt_out, language, active
select
    username,
    display_name,
    role,
    email,
    coalesce(email_opt_out, false) as email_opt_out,
    language,
    disabled_at is null as active
from users
order by username
