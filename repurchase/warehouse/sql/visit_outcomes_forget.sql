-- visit_outcomes_forget: the visits were removed (the demo replaced by a company's import):
-- nothing is covered, every day is read live until the nightly job builds the counts again.
-- params: none
-- returns: nothing
delete from visit_outcomes_built
