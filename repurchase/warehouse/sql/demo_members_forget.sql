-- demo_members_forget: no row is the demo's any more (a new demo build, or a company's file).
-- params: none
-- returns: nothing
delete from demo_members
