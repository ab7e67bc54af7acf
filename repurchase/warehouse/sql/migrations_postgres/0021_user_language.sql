-- 0021_user_language: the language each user last chose (migrations/0021_user_language.sql
-- says why). The same change in PostgreSQL's dialect.
alter table users add column language varchar collate "C";
