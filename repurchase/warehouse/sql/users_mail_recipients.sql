-- users_mail_recipients: the enabled users who get reminders: an address set and not opted
-- out, with what their mail is built from (their scope and chosen language).
-- params: none
-- returns: username, display_name, role, rep_id, team, email, language
select
    username,
    display_name,
    role,
    rep_id,
    team,
    trim(email) as email,
    language
from users
where disabled_at is null
    and email is not null
    and trim(email) <> ''
    and not coalesce(email_opt_out, false)
order by username
