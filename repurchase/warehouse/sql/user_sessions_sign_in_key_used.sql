-- user_sessions_sign_in_key_used: a row if this sign-in at the identity provider already
-- opened a session.
-- params: $sign_in_key VARCHAR
-- returns: 1
select 1
from user_sessions
where sign_in_key = $sign_in_key
