-- 0017_external_identity: company sign-in (OpenID Connect through Streamlit's st.login).
-- A user is linked to their account at the company's identity provider by external_id: the
-- value of the claim the app matches on (secrets.toml, [company_sign_in] match_claim; the
-- verified email by default), stored lower-case. A linked user may have no local password.
-- An app session opened from a sign-in at the identity provider keeps a hash of that sign-in,
-- so one sign-in there opens one session here (an ended session is not reopened by it).

alter table users alter column password_hash drop not null;

alter table users add column external_id varchar;

-- one user per identity; DuckDB cannot add a UNIQUE constraint with ALTER, an index can
create unique index users_external_id on users (external_id);

alter table user_sessions add column sign_in_key varchar;
