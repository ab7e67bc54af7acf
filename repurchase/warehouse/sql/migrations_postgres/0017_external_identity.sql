-- 0017_external_identity: company sign-in (OpenID Connect through Streamlit's st.login).
-- A user is linked to their account at the company's identity provider by external_id: the
-- value of the claim the app matches on (secrets.toml, [company_sign_in] match_claim; the
-- verified email by default), stored lower-case. A linked user may have no local password.
-- An app session opened from a sign-in at the identity provider keeps a hash of that sign-in,
-- so one sign-in there opens one session here (an ended session is not reopened by it).
-- The same change as migrations/0017_external_identity.sql (DuckDB), in PostgreSQL's dialect.

alter table users alter column password_hash drop not null;

alter table users add column external_id varchar collate "C";

-- one user per identity (several nulls are allowed, as in DuckDB's index)
create unique index users_external_id on users (external_id);

alter table user_sessions add column sign_in_key varchar collate "C";
