-- 0013_worklist: a skip's optional note (issue 11). The reason is a code the app translates;
-- the note is the rep's own words beside it ("on holiday until the 12th"), kept apart so the
-- codes stay countable.
alter table list_actions add column note varchar;
