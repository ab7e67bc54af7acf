-- 0021_user_language: the language each user last chose (en or zh), so the app speaks it
-- after a reload, in a new tab and on another device. Null until the user chooses: the
-- browser's language is used until then.
alter table users add column language varchar;
